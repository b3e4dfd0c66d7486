"""Findings of a reader's review of the demo report (session 7), each kept fixed: the
verdicts the report writes are those the analysis wrote."""

from __future__ import annotations

import re

import pandas as pd

from reports.i18n import catalogue

from reports.presentation import verdict_key


def test_category_of_a_different_distribution_is_called_only_outside_its_interval():
    """A category whose own interval holds the published share gets "no clear gap" even
    when the distribution's joint test is significant (the analysis's verdict)."""
    row = pd.Series({"estimate": 0.39, "ci_low": 0.32, "ci_high": 0.46, "baseline": 0.35,
                     "p_value": 4.6e-7, "p_adjusted": 9.3e-7, "distribution": "telework_wish",
                     "verdict_en": "no detectable difference"})
    assert verdict_key(row) == "verdict.similar"
    assert verdict_key(row.drop("verdict_en")) == "verdict.higher"  # the p-value alone


def test_demo_tally_counts_the_analysis_verdicts(demo_reports):
    """The summary's count of comparisons by verdict equals the CSV's verdicts."""
    html = demo_reports["fr"].read_text(encoding="utf-8")
    found = re.search(r"(\d+) comparaisons avec une référence\s*:\s*(\d+) nettement au-dessus, "
                      r"(\d+) nettement en dessous, (\d+) sans écart net, (?:(\d+) sans test, )?"
                      r"(\d+) masquées", html)
    assert found, "the summary's tally sentence is missing"
    table = pd.read_csv(demo_reports["fr"].parent / "csv" / "baselines_comparisons.csv")
    shown = table[~table["suppressed"]]
    verdicts = shown["verdict_en"].fillna("")
    expected = (len(table), verdicts.str.startswith("higher").sum(),
                verdicts.str.startswith("lower").sum(),
                verdicts.str.startswith("no detectable").sum(),
                verdicts.str.startswith("not tested").sum(), table["suppressed"].sum())
    assert tuple(int(g or 0) for g in found.groups()) == expected


def test_distribution_reference_shown_as_published(demo_reports):
    """A reference distribution summing to 101 % is renormalised for its test only: the
    report shows the published 52 % of associative places, not 51 %."""
    import analysis

    table = pd.read_csv(demo_reports["fr"].parent / "csv" / "baselines_comparisons.csv")
    row = table[table["indicator"] == "governance_association"].iloc[0]
    catalogue = analysis.baselines()
    published = catalogue[(catalogue["source_id"] == "aquitaine-2016")
                          & (catalogue["indicator"] == "governance_association")]["value"]
    assert row["baseline"] == published.iloc[0] == 0.52
    assert "renormalised" in row["note"]


def test_answers_over_two_waves_say_how_many_people(demo_reports):
    """The agents answered before and after: the quality table counts the people (one
    per pseudonymous id, as the profiles' n) and the glance card says so."""
    import html as html_module

    folder = demo_reports["fr"].parent / "csv"
    quality = pd.read_csv(folder / "quality_summary.csv")
    people = quality[(quality["source"] == "agents") & (quality["measure"] == "respondents")]
    profile = pd.read_csv(folder / "profiles_agents.csv")
    assert people["n"].tolist() == [profile["n"].max()] == [46]
    assert not (quality["measure"].eq("respondents") & quality["source"].ne("agents")).any()
    page = html_module.unescape(demo_reports["fr"].read_text(encoding="utf-8"))
    assert "sur 87 lues · 46\u00a0personnes différentes sur l'ensemble des vagues" in page


def test_comparisons_hide_the_few_a_share_singles_out(demo_reports):
    """A comparison share is hidden when fewer than 5 agents are in its category or
    outside it (94 % of 46 shows the 3 who are not), and a distribution with such a
    category is hidden whole (the others and the joint test would give it away)."""
    table = pd.read_csv(demo_reports["fr"].parent / "csv" / "baselines_comparisons.csv")
    agents = table[table["source"] == "agents"].set_index("indicator")
    assert agents.loc["wish_telework", "suppressed"]  # 43 of 46: 3 do not wish to
    assert agents.loc["telework_at_home", "suppressed"]  # 45 of 46: 1 elsewhere
    wish = agents[agents["distribution"] == "telework_wish"]
    assert len(wish) == 4 and wish["suppressed"].all()  # "no" holds 3 agents
    assert wish[["estimate", "statistic", "p_value"]].isna().all().all()
    assert not agents.loc["woman", "suppressed"]  # 27 of 46
    places = table[table["source"] == "places"]
    assert not places["suppressed"].any()  # places are not people


def test_profiles_leave_satisfaction_to_its_section(demo_reports):
    """No profile describes the satisfaction scores or the recommendation: a hidden
    score there would be given away by the satisfaction tables' top-2 and bottom-2."""
    folder = demo_reports["fr"].parent / "csv"
    for path in folder.glob("profiles_*.csv"):
        variables = pd.read_csv(path)["variable"].astype(str)
        assert not (variables.str.startswith("sat_") | (variables == "recommend")).any(), path
    assert (folder / "satisfaction_agents_items.csv").exists()


def test_cohort_shares_hide_fewer_than_five_still_coming(demo_reports):
    """A cohort's share still coming rests on the fewer of those still coming and those
    gone: 2 users of 18 after a year are hidden, a cohort's 9 of 18 shown."""
    table = pd.read_csv(demo_reports["fr"].parent / "csv" / "retention_checkins_cohorts.csv")
    shown = table[~table["suppressed"]]
    smaller = shown[["active"]].assign(gone=shown["users"] - shown["active"])
    assert ((smaller[["active", "gone"]].min(axis=1) >= 5)
            | (smaller[["active", "gone"]].min(axis=1) == 0)).all()
    assert table["suppressed"].any() and table.loc[table["suppressed"], "share"].isna().all()


def _staying_card(estimates: list, lang: str = "fr",
                  at_risk: tuple = (23.0, 12.0, 6.0)) -> dict | None:
    """The companies' staying card from a horizons table at 3, 6 and 12 months."""
    from types import SimpleNamespace

    from reports import pilot_glance

    horizons = pd.DataFrame({"time": [3.0, 6.0, 12.0], "at_risk": list(at_risk),
                             "estimate": estimates, "ci_low": [0.8, 0.7, 0.6],
                             "ci_high": [1.0, 0.95, 0.93], "suppressed": False})
    tables = {("retention", "companies_stays_horizons"): SimpleNamespace(data=horizons)}
    return pilot_glance._staying(tables, "companies", "company", {"companies": "Entreprises"},
                                 catalogue(lang))


def test_staying_cards_say_how_many_are_still_followed():
    """'81 % after 12 months' of companies rests on the 6 still followed then: the card
    says so, from the horizons table."""
    card = _staying_card([0.96, 0.88, 0.81])
    assert "12" in card["indicator"] and card["number"] == 0.81
    assert card["detail"].endswith("6\u00a0encore suivis à cette date")


def test_staying_card_is_left_out_when_its_horizon_is_hidden():
    """The 12-month share hidden (fewer than 5 exits behind it): no card, rather than
    the 3-month share, which would read as if no company had left."""
    assert _staying_card([1.0, float("nan"), float("nan")]) is None


def test_staying_card_is_left_out_when_its_followed_count_is_hidden_too():
    """The 6- and 12-month rows hidden whole (their followed counts too): those horizons
    were observed all the same, so no 3-month card reading "100 % (100 %-100 %)" (review
    9, item 6)."""
    nan = float("nan")
    assert _staying_card([1.0, nan, nan], at_risk=(23.0, nan, nan)) is None
    assert _staying_card([1.0, nan, nan], at_risk=(23.0, 0.0, 0.0))["number"] == 1.0


def test_comparisons_on_a_raking_margin_say_so(demo_reports):
    """The demo rakes the agents on gender: the share of women compared with Citica is
    the HR file's margin, and the comparison's note says it."""
    table = pd.read_csv(demo_reports["fr"].parent / "csv" / "baselines_comparisons.csv")
    agents = table[table["source"] == "agents"].set_index("indicator")
    assert "marge de calage" in agents.loc["woman", "note_fr"]
    assert "calibration margin" in agents.loc["man", "note"]
    assert "marge de calage" not in str(agents.loc["manager", "note_fr"])


def test_alpha_counts_each_agent_once(demo_reports):
    """Cronbach's alpha rests on the answers the items describe (the last wave), each
    agent once, not both waves pooled (at most the 39 agents who answered after)."""
    folder = demo_reports["fr"].parent / "csv"
    alpha = pd.read_csv(folder / "satisfaction_agents_alpha.csv")
    people = pd.read_csv(folder / "quality_summary.csv")
    by_wave = pd.read_csv(folder / "satisfaction_agents_items_by_wave.csv")
    after = by_wave.loc[(by_wave["wave"] == "post") & ~by_wave["suppressed"], "n"].max()
    assert alpha["n"].iloc[0] <= after < people.loc[people["measure"] == "respondents", "n"].iloc[0]


def test_methods_state_each_sources_design(demo_reports):
    """The appendix's design table gives, per people source, the people, the population
    the estimates are corrected for and the raking margins (the agents: 46 of 60,
    raked on gender 65 / 35 %)."""
    design = pd.read_csv(demo_reports["fr"].parent / "csv" / "methods_design.csv")
    agents = design[design["source"] == "agents"].set_index("category")
    assert agents["n"].tolist() == [46, 46] and agents["population_size"].tolist() == [60, 60]
    assert agents.loc["F", "margin"] == 0.65 and agents.loc["M", "margin"] == 0.35
    assert set(design["source"]) == {"agents", "companies", "users"}


def test_published_stay_curves_are_monthly(demo_reports):
    """No published curve of people's stays has a step at one person's exit time: the
    CSV holds whole months only (the analysis keeps the exact curve)."""
    folder = demo_reports["fr"].parent / "csv"
    for name in ("retention_agents_stays_curve", "retention_companies_stays_curve",
                 "retention_checkins_users_curve"):
        curve = pd.read_csv(folder / f"{name}.csv")
        assert (curve["time"] == curve["time"].round()).all() and curve["time"].iloc[0] == 0
    # "still followed" at 12 months: the same count in the curve and the horizons table
    curve = pd.read_csv(folder / "retention_companies_stays_curve.csv").set_index("time")
    horizons = pd.read_csv(folder / "retention_companies_stays_horizons.csv").set_index("time")
    assert curve.loc[12.0, "at_risk"] == horizons.loc[12, "at_risk"]


def test_each_source_labels_its_questions_from_its_codebook(demo_reports):
    """Third-place users rated the place, companies the chamber's support, agents
    telework: each satisfaction table and figure says which (HTML and workbook)."""
    import html as html_module

    import openpyxl

    page = html_module.unescape(demo_reports["fr"].read_text(encoding="utf-8"))
    for label in ("Satisfaction globale à l'égard du lieu",
                  "Satisfaction globale à l'égard de l'accompagnement",
                  "Satisfaction globale à l'égard du télétravail"):
        assert label in page
    book = openpyxl.load_workbook(demo_reports["fr"].parent / "tables.xlsx", read_only=True)
    firsts = {ws.title.split(" ", 1)[1]: next(ws.iter_rows(min_row=2, max_row=2,
                                                           values_only=True))[0]
              for ws in book.worksheets if " Satisfaction des " in f" {ws.title}"}
    assert "Satisfaction globale à l'égard du lieu" in firsts.values()
    assert "Satisfaction globale à l'égard de l'accompagnement" in firsts.values()


def test_french_page_has_no_breakable_space_before_high_punctuation(demo_reports):
    """Every visible French text, the readers' notes included, has a no-break space
    before : ; ! ? » and after « (no line starts with a colon)."""
    import html as html_module

    page = demo_reports["fr"].read_text(encoding="utf-8")
    body = re.sub(r"<(style|svg|script)[^>]*>.*?</\1>", " ", page, flags=re.S)
    text = html_module.unescape(re.sub(r"<[^>]+>", "\n", body))
    bad = [line for line in text.splitlines() if re.search(r" [:;!?»]|« ", line)]
    assert bad == []


def test_french_page_has_no_breakable_space_before_percent(demo_reports):
    """Every visible French text writes "95 %" with a no-break space (numbers and the
    readers' texts alike): a line never starts with "%"."""
    import html as html_module

    page = demo_reports["fr"].read_text(encoding="utf-8")
    body = re.sub(r"<(style|svg|script)[^>]*>.*?</\1>", " ", page, flags=re.S)
    text = html_module.unescape(re.sub(r"<[^>]+>", "\n", body))
    assert [line for line in text.splitlines() if re.search(r"\d %", line)] == []


def test_quartiles_of_small_groups_are_hidden(demo_reports):
    """A quartile is one respondent's value: a group's quartile (and each bound) is
    published only when at least min_cell respondents lie at or beyond it, as the
    analysis counted them (its ``_beyond`` columns); a group whose figures all rest on
    too few people (a weighting class of 1 to 4: test_weight_classes) shows none."""
    from analysis import evaluate
    from surveys import read_pilot

    pilot = read_pilot(demo_reports["fr"].parent.parent / "pilot.toml")
    counted = evaluate(pilot).sections["profiles"].tables["agents_by_service"].data
    table = pd.read_csv(demo_reports["fr"].parent / "csv" / "profiles_agents_by_service.csv")
    quartiles = table["statistic"].isin(["q1", "median", "q3"]).to_numpy()
    for column in ("estimate", "ci_low", "ci_high"):
        tails = counted[f"{column}_beyond"].to_numpy()
        published = table[column].notna().to_numpy()
        assert (tails[quartiles & published] >= 5).all(), column
        assert not published[quartiles & (tails < 5)].any(), column
        assert published[quartiles].any(), column
    routes = table[(table["service"] == "Routes") & (table["variable"] == "age") & quartiles]
    assert len(routes) == 3  # 7 agents
    assert routes[["count", "estimate", "se", "ci_low", "ci_high"]].isna().all().all()


def test_stay_quantiles_are_whole_months(demo_reports):
    """Quartiles of stays and their bounds are the month they fall in, as the monthly
    curve shows them: no exit time (8.34 months) is printed."""
    folder = demo_reports["fr"].parent / "csv"
    for name in ("retention_companies_stays_median", "retention_agents_stays_median",
                 "retention_checkins_users_median"):
        values = pd.read_csv(folder / f"{name}.csv")[["estimate", "ci_low", "ci_high"]]
        values = values.stack()
        assert (values == values.round()).all(), name


def test_quality_table_labels_each_sources_questions(demo_reports):
    """The data-quality table's "don't know" rows name each source's own question, in
    the page and in the workbook (users: "… à l'égard du lieu")."""
    import html as html_module

    import openpyxl

    page = html_module.unescape(demo_reports["fr"].read_text(encoding="utf-8"))
    quality = page[page.index('id="quality-summary"'):]
    quality = quality[:quality.index("</table>")]
    assert "Satisfaction globale à l'égard du lieu" in quality
    book = openpyxl.load_workbook(demo_reports["fr"].parent / "tables.xlsx", read_only=True)
    header, *rows = book.worksheets[2].iter_rows(values_only=True)
    cat = catalogue("fr")
    users = [r for r in rows if r and r[0] == cat.value("kind", "thirdplace")]
    detail = header.index(cat.column("detail"))
    assert "Satisfaction globale à l'égard du lieu" in {r[detail] for r in users}


def test_key_figures_carry_the_references_caveats(demo_reports):
    """A comparison the reference itself calls indicative says so under its card, marked
    on the card ("Comparaison indicative seulement" for BVA's small companies)."""
    import html as html_module

    page = html_module.unescape(demo_reports["fr"].read_text(encoding="utf-8"))
    summary = page[:page.index('id="quality"')]
    notes = re.findall(r'<p class="card-note"><sup class="mark">(\d+)</sup> (.*?)</p>',
                       summary, re.S)
    assert any("Comparaison indicative seulement" in text for _, text in notes)
    assert any("marge de calage" in text for _, text in notes)
    marks = re.findall(r'<sup class="mark">(\d+)</sup></p>', summary)
    assert marks and set(marks) <= {mark for mark, _ in notes}


def test_whole_month_quantiles_are_not_said_twice(demo_reports):
    """A retention quantile table says once that its durations are whole months, not
    "Durées en mois entiers…" and then "Durées en mois." again (review 9, item 14)."""
    from reports.i18n import catalogue

    cat = catalogue("fr")
    page = demo_reports["fr"].read_text(encoding="utf-8")
    block = page[page.index('id="retention-companies_stays_median"'):]
    block = block[:block.index("</section>") if "</section>" in block else 4000]
    assert cat.text("report.quantiles_in_months")[:20] in block
    assert cat.text("report.durations_in_months") not in block
