"""Pseudonymisation of identifiers (keyed hash) and redaction of free text."""

from __future__ import annotations

import hashlib
import hmac

import pandas as pd

import surveys
from surveys.pseudonym import DEFAULT_SALT, pseudonymise, redact


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_hash_is_hmac_sha256_truncated():
    """The pseudonym is hmac-sha256(salt, id) in hex, first 16 characters."""
    expected = hmac.new(b"sel", b"A17", hashlib.sha256).hexdigest()[:16]
    assert pseudonymise(pd.Series(["A17"]), "sel").tolist() == [expected]


def test_missing_ids_stay_missing():
    """Missing or blank identifiers are not hashed."""
    out = pseudonymise(pd.Series([None, "  ", "x"]), "s")
    assert out[0] is None and out[1] is None and len(out[2]) == 16


def test_numeric_and_text_ids_agree():
    """12, 12.0 and ' 12 ' get the same pseudonym (spreadsheet vs CSV)."""
    out = pseudonymise(pd.Series([12, 12.0, " 12 ", "12"], dtype=object), "s")
    assert out.nunique() == 1


def test_default_salt_and_note():
    """Without a salt the documented default key is used and a note recommends a salt."""
    survey = surveys.read(pd.DataFrame({"id": ["A1"], "Sexe": ["F"]}), "agent")
    expected = hmac.new(DEFAULT_SALT.encode(), b"A1", hashlib.sha256).hexdigest()[:16]
    assert survey.data["respondent_id"].tolist() == [expected]
    assert any("set a salt" in note for note in survey.notes)


def test_no_salt_note_with_salt():
    """With a salt no recommendation note is added."""
    survey = surveys.read(pd.DataFrame({"id": ["A1"], "Sexe": ["F"]}), "agent", salt="k")
    assert not any("set a salt" in note for note in survey.notes)


def test_stable_across_files_with_same_salt(tmp_path):
    """A user in a survey file and in a check-in log gets the same pseudonym: rows join."""
    users = _write(tmp_path / "users.csv", "id;Statut;Lieu\nU1;Étudiant;P1\nU2;Salarié;P2\n")
    checkins = _write(tmp_path / "checkins.csv",
                      "lieu;badge;horodatage\nP1;U2;01/03/2016 09:00\nP2;U1;02/03/2016 10:00\n")
    survey = surveys.read(users, "thirdplace", salt="pilot-key")
    events = surveys.read(checkins, "attendance", salt="pilot-key",
                          mapping={"lieu": "place_id", "badge": "user_id",
                                   "horodatage": "timestamp"})
    joined = events.data.merge(survey.data, left_on="user_id", right_on="respondent_id")
    assert len(joined) == 2
    assert set(joined["status"]) == {"student", "employee"}


def test_different_salt_different_pseudonyms(tmp_path):
    """Another salt gives other pseudonyms for the same identifiers."""
    path = _write(tmp_path / "a.csv", "id;Sexe\nR1;F\nR2;M\n")
    one = surveys.read(path, "agent", salt="one").data["respondent_id"]
    two = surveys.read(path, "agent", salt="two").data["respondent_id"]
    assert not set(one) & set(two)
    assert one.tolist() == surveys.read(path, "agent", salt="one").data["respondent_id"].tolist()


def test_raw_ids_not_in_data():
    """The source identifiers do not appear in Survey.data."""
    survey = surveys.read(pd.DataFrame({"id": ["MAT-00417"], "Sexe": ["F"]}), "agent", salt="k")
    assert "MAT-00417" not in survey.data.astype(str).to_numpy().ravel().tolist()


def test_place_id_kept_as_given():
    """Places are not people: place_id stays as given."""
    frame = pd.DataFrame({"lieu": ["Moulin"], "badge": ["u1"], "horodatage": ["2016-01-05 10:00"]})
    survey = surveys.read(frame, "attendance", mapping={"lieu": "place_id", "badge": "user_id",
                                                        "horodatage": "timestamp"})
    assert survey.data["place_id"].tolist() == ["Moulin"]
    assert survey.data["user_id"].tolist() != ["u1"]


def test_company_id_hashed():
    """company_id is pseudonymised like respondent ids."""
    survey = surveys.read(pd.DataFrame({"SIRET": ["44306184100047"], "Secteur": ["Privé"]}),
                          "company", salt="k")
    assert survey.data["company_id"].str.fullmatch(r"[0-9a-f]{16}").all()


def test_redact_email_and_phone():
    """E-mail addresses and phone numbers in text are replaced."""
    text = pd.Series(["Joindre marie.curie+rh@cd14.fr ou 02.31.12.34.56 / +33 6 12 34 56 78"])
    assert redact(text).tolist() == ["Joindre [e-mail] ou [téléphone] / [téléphone]"]


def test_redact_ip_and_names():
    """IP addresses and given names are replaced; ordinary numbers are not."""
    text = pd.Series(["Depuis 192.168.1.20, signé Dupont, 3 jours par semaine"])
    assert redact(text, names=["Dupont"]).tolist() == [
        "Depuis [IP], signé [nom], 3 jours par semaine"]


def test_comment_redacted_in_read():
    """read() redacts e-mails in text variables and the respondent names found in the file."""
    frame = pd.DataFrame({"id": ["1"], "Nom": ["Lefèvre"], "Sexe": ["F"],
                          "Commentaire": ["Mme Lefèvre, écrire à l@x.fr"]})
    assert surveys.read(frame, "agent").data["comment"].tolist() == ["Mme [nom], écrire à [e-mail]"]


def test_checkin_log_ids_stay_categorical(tmp_path):
    """A check-in log's ids are categorical, with the same pseudonyms as elsewhere."""
    import hashlib
    import hmac

    import surveys

    path = tmp_path / "log.csv"
    path.write_text("place_id,user_id,timestamp\nTL1,u1,01/02/2016 10:00\n"
                    "TL1,u2,01/02/2016 11:00\nTL2,u1,02/02/2016 09:30\n", encoding="utf-8")
    log = surveys.read(path, "attendance", salt="s").data
    assert isinstance(log["user_id"].dtype, pd.CategoricalDtype)
    expected = hmac.new(b"s", b"u1", hashlib.sha256).hexdigest()[:16]
    assert log["user_id"].astype(str).tolist()[::2] == [expected, expected]
    assert log["place_id"].astype(str).tolist() == ["TL1", "TL1", "TL2"]
