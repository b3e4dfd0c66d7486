"""Pseudonymisation of identifiers (keyed hash) and redaction of free text."""

from __future__ import annotations

import numpy as np
import pandas as pd

import surveys
from surveys.pseudonym import DEFAULT_SALT, hash_many, pseudonymise, redact, siphash_key

_MASK = (1 << 64) - 1


def _rotl(x: int, b: int) -> int:
    return ((x << b) | (x >> (64 - b))) & _MASK


def _siphash24(key: bytes, message: bytes) -> int:
    """SipHash-2-4, written from Aumasson and Bernstein's paper (reference for the tests)."""
    k0, k1 = int.from_bytes(key[:8], "little"), int.from_bytes(key[8:], "little")
    v = [k0 ^ 0x736F6D6570736575, k1 ^ 0x646F72616E646F6D,
         k0 ^ 0x6C7967656E657261, k1 ^ 0x7465646279746573]

    def rounds(count: int) -> None:
        for _ in range(count):
            v[0] = (v[0] + v[1]) & _MASK; v[1] = _rotl(v[1], 13); v[1] ^= v[0]  # noqa: E702
            v[0] = _rotl(v[0], 32)
            v[2] = (v[2] + v[3]) & _MASK; v[3] = _rotl(v[3], 16); v[3] ^= v[2]  # noqa: E702
            v[0] = (v[0] + v[3]) & _MASK; v[3] = _rotl(v[3], 21); v[3] ^= v[0]  # noqa: E702
            v[2] = (v[2] + v[1]) & _MASK; v[1] = _rotl(v[1], 17); v[1] ^= v[2]  # noqa: E702
            v[2] = _rotl(v[2], 32)

    tail = len(message) % 8
    blocks = [message[i: i + 8] for i in range(0, len(message) - tail, 8)]
    last = message[len(message) - tail:] + bytes(7 - tail) + bytes([len(message) & 0xFF])
    for block in [*blocks, last]:
        m = int.from_bytes(block, "little")
        v[3] ^= m
        rounds(2)
        v[0] ^= m
    v[2] ^= 0xFF
    rounds(4)
    return v[0] ^ v[1] ^ v[2] ^ v[3]


def _splitmix64_finaliser(x: int) -> int:
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & _MASK
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def _reference(salt: str, identifier: str) -> str:
    """The documented pseudonym, computed without pandas."""
    value = _siphash24(siphash_key(salt), identifier.encode("utf-8"))
    return f"{_splitmix64_finaliser(value):016x}"


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_reference_siphash_matches_published_vectors():
    """The test's own SipHash-2-4 gives the paper's vectors (key 00..0f, messages 00..)."""
    key = bytes(range(16))
    assert _siphash24(key, b"") == 0x726FDB47DD0E0E31
    assert _siphash24(key, bytes(range(15))) == 0xA129CA6149BE45E5


def test_hash_is_keyed_siphash():
    """The pseudonym is splitmix64(SipHash-2-4(key from salt, id)) in 16 hex characters."""
    ids = ["A17", "", "é", "agent-000123456789", "x" * 200, "12"]
    out = pseudonymise(pd.Series(ids), "sel").tolist()
    assert out[1] is None  # blank: not hashed
    assert [o for i, o in enumerate(out) if i != 1] == [
        _reference("sel", i) for n, i in enumerate(ids) if n != 1]


def test_hash_many_on_arrow_and_bytes_agree():
    """hash_many gives the same pseudonyms from Arrow strings and from UTF-8 bytes."""
    import pyarrow as pa
    ids = ["u1", "Ünïcode ✓", "u3"]
    from_bytes = hash_many([i.encode() for i in ids], "k")
    assert from_bytes.tolist() == hash_many(pa.array(ids), "k").tolist()
    assert from_bytes.tolist() == [_reference("k", i) for i in ids]


def test_key_depends_on_salt():
    """Different salts give different keys and different pseudonyms for the same id."""
    assert siphash_key("a") != siphash_key("b")
    assert hash_many([b"A1"], "a")[0] != hash_many([b"A1"], "b")[0]
    assert hash_many([], "a").dtype == np.dtype(object)


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
    assert survey.data["respondent_id"].tolist() == [_reference(DEFAULT_SALT, "A1")]
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
    path = tmp_path / "log.csv"
    path.write_text("place_id,user_id,timestamp\nTL1,u1,01/02/2016 10:00\n"
                    "TL1,u2,01/02/2016 11:00\nTL2,u1,02/02/2016 09:30\n", encoding="utf-8")
    log = surveys.read(path, "attendance", salt="s").data
    assert isinstance(log["user_id"].dtype, pd.CategoricalDtype)
    expected = _reference("s", "u1")
    assert log["user_id"].astype(str).tolist()[::2] == [expected, expected]
    assert log["place_id"].astype(str).tolist() == ["TL1", "TL1", "TL2"]


def test_hex_written_in_pieces_equals_at_once(monkeypatch):
    """Hashes written out piece by piece give the same 16-character strings."""
    from surveys import pseudonym

    hashed = np.array([0, 1, 2**63, 2**64 - 1, 12345678901234567890], dtype=np.uint64)
    whole = pseudonym._hex_arrow(hashed).to_pylist()
    monkeypatch.setattr(pseudonym, "_HEX_PIECE", 2)
    assert pseudonym._hex_arrow(hashed).to_pylist() == whole
    assert whole[0] == "0" * 16 and whole[3] == "f" * 16
