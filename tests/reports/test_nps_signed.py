"""A net promoter score is written in the page's tables as on its card: a signed whole
number (``+34``, ``−15``), its interval too (review 10, item 11: the tables showed
"7,41", "33,8" and "−14,6"); the CSV keeps the machine value."""

from __future__ import annotations

import html
import re

import pandas as pd

from reports.formatting import MINUS, NNBSP, format_signed, signed_scores


def _cells(page, key: str) -> list[list[str]]:
    """The text of each body cell of the table ``satisfaction-<key>``."""
    text = page.read_text(encoding="utf-8")
    start = text.index(f'id="satisfaction-{key}"')
    body = text[text.index("<tbody>", start):text.index("</tbody>", start)]
    return [[html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
             for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_signed_whole_numbers():
    """Positive scores get a plus sign, negative ones the true minus, zero neither."""
    assert [format_signed(v, "fr") for v in (33.777, -14.59, 0.0, -0.4, 100.0)] == \
        ["+34", MINUS + "15", "0", "0", "+100"]


def test_signed_keeps_the_language_separators():
    """Decimals, when asked, use the language's decimal mark; thousands its separator."""
    assert format_signed(7.4074, "fr", 1) == "+7,4"
    assert format_signed(1234.0, "fr") == "+1" + NNBSP + "234"


def test_scores_cells_rewritten_on_a_score_row():
    """On a row with ``promoters``, the estimate and interval cells become signed whole."""
    cells = [{"text": "27"}, {"text": "7,41"}, {"text": "−17,2 à 30,6"}]
    row = {"n": 27, "promoters": 0.26, "estimate": 7.407, "ci_low": -17.219, "ci_high": 30.55}
    signed_scores(cells, row, ["n", "estimate", "ci"], "fr")
    assert [c["text"] for c in cells] == ["27", "+7", MINUS + "17\u00a0à +31"]


def test_other_tables_keep_their_decimals():
    """A row without ``promoters`` (a mean, a share) is left as the page wrote it."""
    cells = [{"text": "3,95"}, {"text": "3,76 – 4,14"}]
    signed_scores(cells, {"estimate": 3.95, "ci_low": 3.76, "ci_high": 4.14},
                  ["estimate", "ci"], "fr")
    assert [c["text"] for c in cells] == ["3,95", "3,76 – 4,14"]


def test_hidden_score_cells_stay_hidden():
    """A hidden estimate keeps its mark, not a number."""
    cells = [{"text": "—*", "hidden": True}, {"text": "—*", "hidden": True}]
    signed_scores(cells, {"promoters": None, "estimate": None, "ci_low": None,
                          "ci_high": None}, ["estimate", "ci"], "en")
    assert [c["text"] for c in cells] == ["—*", "—*"]


def test_demo_tables_write_scores_as_the_cards(demo_reports):
    """French page: users +34 (+29 à +39), companies +7 (−17 à +31), agents before −15."""
    page = demo_reports["fr"]
    assert _cells(page, "users_nps")[0][-2:] == ["+34", "+29\u00a0à +39"]
    assert _cells(page, "companies_nps")[0][-2:] == ["+7", MINUS + "17\u00a0à +31"]
    assert _cells(page, "agents_nps")[0][-2:] == [MINUS + "15",
                                                  MINUS + "27\u00a0à " + MINUS + "2"]


def test_demo_english_tables_write_scores_signed(demo_reports):
    """English page: the same signed whole scores."""
    assert _cells(demo_reports["en"], "users_nps")[0][-2:] == ["+34", "+29\u00a0to +39"]


def test_demo_csv_holds_the_score_as_a_number(demo_reports):
    """The CSV's estimate is the score as a machine number, whole as the page writes it
    (34, not "+34"; the CSV holds the published precision: reports.csv_numbers)."""
    csv = demo_reports["en"].parent / "csv" / "satisfaction_users_nps.csv"
    estimate = pd.read_csv(csv)["estimate"].iloc[0]
    assert estimate == 34.0
