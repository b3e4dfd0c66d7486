"""Notes about how a file was read, in English and French.

A :class:`Note` is a ``str`` (its English text), so ``Survey.notes`` stays a list of
strings for code that prints or searches it; it also keeps its message key and
values, so that a French report can write the same note in French
(:meth:`Note.in_language`). Values are inserted as given: file and column names stay
as they are in the user's file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from surveys.error_messages import ERRORS

__all__ = ["Note", "MESSAGES", "counted"]

#: Message key -> {"en": template, "fr": template}; ``str.format`` placeholders.
MESSAGES: dict[str, dict[str, str]] = {
    "utf16": {
        "en": "{file}: decoded as UTF-16 (Excel 'Unicode text').",
        "fr": "{file} : décodé en UTF-16 (« Texte Unicode » d'Excel).",
    },
    "cp1252": {
        "en": "{file}: not valid UTF-8 (first bad byte on line {line}); decoded as cp1252 "
              "(Windows Western European).",
        "fr": "{file} : pas en UTF-8 valide (premier octet invalide à la ligne {line}) ; "
              "décodé en cp1252 (Windows, Europe de l'Ouest).",
    },
    "latin1": {
        "en": "{file}: neither UTF-8 nor cp1252 (first bad byte on line {line}); decoded as "
              "latin-1, some characters may be wrong.",
        "fr": "{file} : ni UTF-8 ni cp1252 (premier octet invalide à la ligne {line}) ; "
              "décodé en latin-1, certains caractères peuvent être faux.",
    },
    "bom": {
        "en": "{file}: UTF-8 byte-order mark removed.",
        "fr": "{file} : indicateur d'ordre des octets UTF-8 (BOM) retiré.",
    },
    "delimited_semicolon": {
        "en": "{file}: semicolon-delimited.",
        "fr": "{file} : colonnes séparées par des points-virgules.",
    },
    "delimited_tab": {
        "en": "{file}: TAB-delimited.",
        "fr": "{file} : colonnes séparées par des tabulations.",
    },
    "delimited_pipe": {
        "en": "{file}: pipe-delimited.",
        "fr": "{file} : colonnes séparées par des barres verticales (|).",
    },
    "delimited_comma": {
        "en": "{file}: comma-delimited.",
        "fr": "{file} : colonnes séparées par des virgules.",
    },
    "malformed": {
        "en": "{file}: malformed rows set aside: {rows}; malformed cells blanked: {cells}; "
              "see problems/excluded.",
        "fr": "{file} : lignes mal formées écartées : {rows} ; cellules mal formées vidées : "
              "{cells} ; voir la liste des problèmes et des lignes écartées.",
    },
    "blank_lines_before_header": {
        "en": "{file}: {count} empty line(s) (nothing but spaces or separators) above the "
              "header skipped; the header is line {line}.",
        "fr": "{file} : {count} ligne(s) vide(s) (rien que des espaces ou des séparateurs) "
              "au-dessus de l'en-tête ignorée(s) ; l'en-tête est la ligne {line}.",
    },
    "blank_rows_before_header": {
        "en": "{file}: {count} empty row(s) above the header skipped; the header is row "
              "{line}.",
        "fr": "{file} : {count} ligne(s) vide(s) au-dessus de l'en-tête ignorée(s) ; "
              "l'en-tête est la ligne {line}.",
    },
    "quote_unclosed": {
        "en": "{file}: {count} quote(s) opening a cell never closed (from line {line} of "
              "the file, data row {row}); read as an ordinary character so that the lines "
              "below stay rows, its cell blanked (see problems).",
        "fr": "{file} : {count} guillemet(s) ouvert(s) en début de cellule jamais fermé(s) (dès "
              "la ligne {line} du fichier, ligne de données {row}) ; lu(s) comme un "
              "caractère ordinaire pour que les lignes suivantes restent des lignes, sa "
              "cellule vidée (voir les problèmes).",
    },
    "quote_across_rows": {
        "en": "{file}: {count} quote(s) opening a cell closed only on a later line, across "
              "what look like rows (from line {line} of the file, data row {row}); "
              "read as an ordinary character so that no row is merged into a cell, its cell "
              "blanked (see problems).",
        "fr": "{file} : {count} guillemet(s) ouvert(s) en début de cellule fermé(s) seulement "
              "sur une ligne suivante, par-dessus ce qui ressemble à des lignes de données (dès "
              "la ligne {line} du fichier, ligne de données {row}) ; lu(s) comme un "
              "caractère ordinaire pour qu'aucune ligne ne soit fusionnée dans une cellule, sa "
              "cellule vidée (voir les problèmes).",
    },
    "excel_sep_line": {
        "en": "{file}: first line {line} (Excel's delimiter hint) used as the delimiter and "
              "skipped; the header is the next line.",
        "fr": "{file} : première ligne {line} (indication de séparateur d'Excel) utilisée "
              "comme séparateur et ignorée ; l'en-tête est la ligne suivante.",
    },
    "utc_offset_dropped": {
        "en": "{file}: column {column} holds times with a UTC offset (such as +01:00); the "
              "offset was dropped and the local clock time kept (2015-01-01T00:30:00+01:00 "
              "is read as 00:30 on 1 January 2015, not converted to UTC), so that each "
              "time stays on its day.",
        "fr": "{file} : la colonne {column} contient des heures avec un décalage UTC (comme "
              "+01:00) ; le décalage a été retiré et l'heure locale gardée "
              "(2015-01-01T00:30:00+01:00 est lu 00:30 le 1er janvier 2015, sans conversion "
              "en UTC), pour que chaque heure reste sur son jour.",
    },
    "sheet": {
        "en": "{file}: sheet {sheet} read.",
        "fr": "{file} : feuille {sheet} lue.",
    },
    "stat_file": {
        "en": "{file}: {format} file.",
        "fr": "{file} : fichier {format}.",
    },
    "stat_file_encoding": {
        "en": "{file}: {format} file, encoding {encoding}.",
        "fr": "{file} : fichier {format}, encodage {encoding}.",
    },
    "user_missing": {
        "en": "{file}: {count} user-missing value(s) set to missing: {shown}.",
        "fr": "{file} : {count} valeur(s) déclarée(s) manquante(s) dans le fichier, "
              "mise(s) à blanc : {shown}.",
    },
    "spss_dates": {
        "en": "{file}: {column} ({format}) converted from seconds since 1582-10-14 to dates.",
        "fr": "{file} : {column} ({format}) converti en dates (secondes depuis le "
              "14/10/1582).",
    },
    "unnamed_columns": {
        "en": "{file}: {count} column(s) without a header named unnamed_<position>.",
        "fr": "{file} : {count} colonne(s) sans en-tête, nommée(s) unnamed_<position>.",
    },
    "duplicate_columns": {
        "en": "{file}: {count} duplicate column name(s) made unique with a .1/.2 suffix: "
              "{shown}.",
        "fr": "{file} : {count} nom(s) de colonne en double, rendu(s) unique(s) par un "
              "suffixe .1/.2 : {shown}.",
    },
    "qualtrics": {
        "en": "{file}: Qualtrics export; 3 header rows (ids, question texts, ImportId) "
              "consumed.",
        "fr": "{file} : export Qualtrics ; les 3 lignes d'en-tête (identifiants, textes des "
              "questions, ImportId) ont été lues comme en-têtes.",
    },
    "qualtrics_legacy": {
        "en": "{file}: Qualtrics legacy export; 2 header rows consumed, V1..V10 named from "
              "the second row.",
        "fr": "{file} : ancien export Qualtrics ; 2 lignes d'en-tête lues, colonnes "
              "V1..V10 nommées d'après la deuxième ligne.",
    },
    "limesurvey_code_text": {
        "en": "{file}: LimeSurvey export with 'code. question text' headings; the codes "
              "are used as column names.",
        "fr": "{file} : export LimeSurvey avec des en-têtes « code. texte de la question » ; "
              "les codes servent de noms de colonnes.",
    },
    "limesurvey_codes": {
        "en": "{file}: LimeSurvey export (code headings).",
        "fr": "{file} : export LimeSurvey (en-têtes en codes).",
    },
    "limesurvey_texts": {
        "en": "{file}: LimeSurvey export (text headings).",
        "fr": "{file} : export LimeSurvey (en-têtes en texte).",
    },
    "surveymonkey": {
        "en": "{file}: SurveyMonkey export; 2 header rows combined as 'Question - Option'.",
        "fr": "{file} : export SurveyMonkey ; 2 lignes d'en-tête combinées en "
              "« Question - Option ».",
    },
    "kobo": {
        "en": "{file}: KoboToolbox export.",
        "fr": "{file} : export KoboToolbox.",
    },
    "kobo_hxl": {
        "en": "{file}: HXL hashtag row under the header consumed.",
        "fr": "{file} : ligne de hashtags HXL sous l'en-tête ignorée.",
    },
    "googleforms": {
        "en": "{file}: Google Forms export (first column {column} is the response time).",
        "fr": "{file} : export Google Forms (la première colonne, {column}, est l'heure "
              "de la réponse).",
    },
    "dropped_system": {
        "en": "{file}: {count} LimeSurvey system or timing column(s) dropped: {shown}.",
        "fr": "{file} : {count} colonne(s) système ou de minutage LimeSurvey retirée(s) : "
              "{shown}.",
    },
    "dropped_pii": {
        "en": "{file}: {count} personal-data (token/IP address) column(s) dropped: {shown}.",
        "fr": "{file} : {count} colonne(s) de données personnelles (jeton, adresse IP) "
              "retirée(s) : {shown}.",
    },
    "dropped_system_qualtrics": {
        "en": "{file}: {count} Qualtrics system column(s) (dates, progress and duration of "
              "the response, channel, language) dropped: {shown}.",
        "fr": "{file} : {count} colonne(s) système Qualtrics (dates, avancement et durée de "
              "la réponse, canal, langue) retirée(s) : {shown}.",
    },
    "dropped_pii_qualtrics": {
        "en": "{file}: {count} personal-data (IP, recipient, location) column(s) dropped: "
              "{shown}.",
        "fr": "{file} : {count} colonne(s) de données personnelles (adresse IP, destinataire, "
              "localisation) retirée(s) : {shown}.",
    },
    "dropped_pii_surveymonkey": {
        "en": "{file}: {count} personal-data (IP, e-mail, name) column(s) dropped: {shown}.",
        "fr": "{file} : {count} colonne(s) de données personnelles (adresse IP, courriel, nom) "
              "retirée(s) : {shown}.",
    },
    "dropped_kobo_meta": {
        "en": "{file}: {count} KoboToolbox meta column(s) dropped: {shown}.",
        "fr": "{file} : {count} colonne(s) de métadonnées KoboToolbox retirée(s) : {shown}.",
    },
    "pii_not_kept": {
        "en": "{file}: personal data not kept: {shown}.",
        "fr": "{file} : données personnelles non gardées : {shown}.",
    },
    "unmapped": {
        "en": "{file}: {count} column(s) matching no variable, not kept: {shown}.",
        "fr": "{file} : {count} colonne(s) sans variable correspondante, non gardée(s) : "
              "{shown}.",
    },
    "checkins_one_day": {
        "en": "{percent}% of the users came on one day and did not come back: their "
              "attendance lasted 0 months, which is why the curve starts below 100% (users "
              "seen on a single day near the end of the log may still come back: they are "
              "not counted among them).",
        "fr": "{percent} % des usagers sont venus un seul jour sans revenir : leur "
              "fréquentation a duré 0 mois, c'est pourquoi la courbe part sous 100 % (les "
              "usagers venus un seul jour peu avant la fin du journal peuvent encore revenir : "
              "ils n'en font pas partie).",
    },
    "impact_population": {
        "en": "For the whole population: the {weighted}mean per teleworker times the "
              "{size} people of the population ({n} respondents), with its confidence "
              "interval. The respondents' own totals are in the CSV file.",
        "fr": "Pour toute la population : la moyenne {weighted}par télétravailleur multipliée "
              "par les {size} personnes de la population ({n} répondants), avec son "
              "intervalle de confiance. Les totaux des seuls répondants sont dans le "
              "fichier CSV.",
    },
    "impact_population_small": {
        "en": "The pilot file gives a population of {size}, fewer than the {n} respondents: "
              "the totals are not extrapolated to it; check the population's size.",
        "fr": "Le fichier du pilote donne une population de {size} personnes, moins que les "
              "{n} répondants : les totaux n'y sont pas extrapolés ; vérifiez la taille de "
              "la population.",
    },
    "formulas_uncomputed": {
        "en": "{file}, sheet {sheet}: {count} formula cell(s) saved without their computed "
              "value, read as empty; open the workbook in Excel or LibreOffice and save it, "
              "so that the values are computed.",
        "fr": "{file}, feuille {sheet} : {count} cellule(s) à formule enregistrée(s) sans leur "
              "valeur calculée, lue(s) vide(s) ; ouvrez le classeur dans Excel ou LibreOffice "
              "et enregistrez-le pour que les valeurs soient calculées.",
    },
    "stays_end_before_start": {
        "en": "{file}: left out of the retention curve, {count} row(s) where {end} comes "
              "before {start}; correct these dates.",
        "fr": "{file} : hors de la courbe de maintien, {count} ligne(s) où {end} précède "
              "{start} ; corrigez ces dates.",
    },
    "open_labels_folded": {
        "en": "{file}: {count} value(s) of {column} given by fewer than {min_cell} "
              "respondents, grouped as “Other (fewer than {min_cell} answers each)”: "
              "a label given by so few would say who took part. The values are not shown; "
              "bilan validate lists them, to recode in the pilot file.",
        "fr": "{file} : {count} valeur(s) de {column} donnée(s) par moins de {min_cell} "
              "répondants, regroupée(s) en « Autres (moins de {min_cell} réponses "
              "par libellé) » : un libellé donné par si peu de personnes dirait qui a participé. "
              "Les valeurs ne sont pas montrées ; bilan validate les liste, pour les recoder "
              "dans le fichier de pilote.",
    },
    "stays_no_start": {
        "en": "{file}: left out of the retention curve, {count} row(s) without {start}.",
        "fr": "{file} : hors de la courbe de maintien, {count} ligne(s) sans {start}.",
    },
    "checkins_unusable": {
        "en": "Left out of the attendance tables: {count} check-in(s) without a place, a "
              "user or a time.",
        "fr": "Laissés hors des tableaux de fréquentation : {count} passage(s) sans lieu, "
              "sans usager ou sans horodatage.",
    },
    "checkins_unknown_places": {
        "en": "Left out of the attendance tables: {count} check-in(s) whose place code is "
              "missing from the places file ({ids}). Add these places to the file, or "
              "correct their codes.",
        "fr": "Laissés hors des tableaux de fréquentation : {count} passage(s) dont le code "
              "de lieu manque au fichier des lieux ({ids}). Ajoutez ces lieux au fichier, "
              "ou corrigez leurs codes.",
    },
    "codes_not_shown": {
        "en": "{shown} and {count} other value(s) not written here, not being place codes; "
              "bilan validate lists them",
        "fr": "{shown} et {count} autre(s) valeur(s) non écrite(s) ici, faute de ressembler "
              "à des codes de lieu ; bilan validate les liste",
    },
    "checkins_unknown_places_few": {
        "en": "Left out of the attendance tables: check-ins of fewer than {min_cell} users, "
              "whose place code is missing from the places file. Add these places to the "
              "file, or correct their codes (bilan validate lists them).",
        "fr": "Laissés hors des tableaux de fréquentation : des passages de moins de "
              "{min_cell} usagers, dont le code de lieu manque au fichier des lieux. Ajoutez "
              "ces lieux au fichier, ou corrigez leurs codes (bilan validate les liste).",
    },
    "checkins_before_opening": {
        "en": "Places with check-ins before their opening date: {count}. Their rows start "
              "at the first check-in, with no open days before the opening.",
        "fr": "Lieux ayant des passages avant leur date d'ouverture : {count}. Leurs lignes "
              "commencent au premier passage, sans jour d'ouverture avant la date donnée.",
    },
    "occupancy_rule": {
        "en": "Occupancy: user-days (a user coming on a day counts one day) over seats × "
              "{days} open in the period. A place is called little used below {threshold}% "
              "occupancy.",
        "fr": "Taux d'occupation : journées-usagers (un usager venu un jour compte une "
              "journée) rapportées aux places × {days} d'ouverture dans la période. Un lieu "
              "est dit peu utilisé sous {threshold} % d'occupation.",
    },
    "strata_partial": {
        "en": "{file}: strata = {column} are used for the profiles, the satisfaction scores "
              "(Likert items, NPS), the comparisons with the baselines and the retention "
              "curves of companies and agents (as the weights are); Cronbach's alpha, the "
              "before/after tests and the commute impact ignore them (as they ignore the "
              "weights).",
        "fr": "{file} : strata = {column} est pris en compte pour les profils, les scores de "
              "satisfaction (échelles de Likert, NPS), les comparaisons aux références et "
              "les courbes de maintien des entreprises et des agents (comme les "
              "pondérations) ; l'alpha de Cronbach, les tests avant/après et l'impact sur "
              "les trajets n'en tiennent pas compte (pas plus que des pondérations).",
    },
    "strata_not_survey": {
        "en": "{file}: strata = {column} is not used: no survey estimate is made on a source "
              "of kind '{kind}'.",
        "fr": "{file} : strata = {column} n'est pas utilisé : aucune estimation d'enquête "
              "n'est faite sur une source de type « {kind} ».",
    },
    "population_total_with_strata": {
        "en": "{file}: population = {size} is one total but the design is stratified by "
              "{column}: the finite population correction, which needs each stratum's "
              "size, is not applied.",
        "fr": "{file} : population = {size} est un total unique alors que le plan est "
              "stratifié par {column} : la correction pour population finie, qui demande "
              "la taille de chaque strate, n'est pas appliquée.",
    },
    "population_column_unused": {
        "en": "{file}: population = {column} (sizes per stratum) is not used: no survey "
              "estimate is made on a source of kind '{kind}'.",
        "fr": "{file} : population = {column} (tailles par strate) n'est pas utilisée : "
              "aucune estimation d'enquête n'est faite sur une source de type « {kind} ».",
    },
    "population_per_stratum": {
        "en": "{file}: population = {column} gives each stratum's size: the standard "
              "errors and intervals of the profiles, the satisfaction scores (Likert items, "
              "NPS) and the comparisons with the baselines carry the finite population "
              "correction; the tests between groups, the tests of shares and the tables "
              "that pool two survey waves (two samples, not one) do not.",
        "fr": "{file} : population = {column} donne la taille de chaque strate : les "
              "erreurs types et les intervalles des profils, des scores de satisfaction "
              "(échelles de Likert, NPS) et des comparaisons aux références intègrent la "
              "correction pour population finie ; les tests entre groupes, les tests de "
              "parts et les tableaux qui réunissent deux vagues d'enquête (deux échantillons, "
              "non un seul), non.",
    },
    "default_salt": {
        "en": "{file}: identifiers ({columns}) were pseudonymised with the default key; set "
              "a salt in the pilot file ([pilot] salt = \"...\") so that nobody can "
              "recompute them (default: {salt}).",
        "fr": "{file} : les identifiants ({columns}) ont été pseudonymisés avec la clé par "
              "défaut ; donnez une clé dans le fichier de pilote ([pilot] salt = \"...\") "
              "pour que personne ne puisse les recalculer (clé par défaut : {salt}).",
    },
    # --- robustness review 12: short rows padded or joined back, unusual dates read ---
    "rows_padded": {
        "en": "{file}: {count} row(s) shorter than the header but starting with an "
              "identifier like the other rows' kept, the missing fields at its end read as "
              "empty (file line(s) {lines}).",
        "fr": "{file} : {count} ligne(s) plus courte(s) que l'en-tête mais commençant par un "
              "identifiant comme les autres gardée(s), les champs manquants en fin de ligne "
              "lus comme vides (ligne(s) {lines} du fichier).",
    },
    "rows_rejoined": {
        "en": "{file}: {count} row(s) cut over several lines by a line break inside a cell "
              "joined back into one row each (first line(s) in the file: {lines}), the line "
              "break kept in the cell; the pieces below the first are listed as excluded.",
        "fr": "{file} : {count} ligne(s) coupée(s) sur plusieurs lignes par un retour à la "
              "ligne dans une cellule recollée(s) (première(s) ligne(s) dans le fichier : "
              "{lines}), le retour à la ligne gardé dans la cellule ; les morceaux suivants "
              "figurent parmi les lignes écartées.",
    },
    "dates_day_first_yy": {
        "en": "{file}: column {column} read as day/month/two-digit year (16/10/15 is "
              "16 October 2015; years 00 to 68 are 2000 to 2068, 69 to 99 are 1969 to 1999).",
        "fr": "{file} : colonne {column} lue en jour/mois/année sur deux chiffres (16/10/15 "
              "est le 16 octobre 2015 ; les années 00 à 68 sont 2000 à 2068, 69 à 99 sont "
              "1969 à 1999).",
    },
    "dates_month_first_yy": {
        "en": "{file}: column {column} read as month/day/two-digit year, as a value's second "
              "part is above 12 (10/16/15 is 16 October 2015; years 00 to 68 are 2000 to "
              "2068, 69 to 99 are 1969 to 1999).",
        "fr": "{file} : colonne {column} lue en mois/jour/année sur deux chiffres, la deuxième "
              "partie d'une valeur dépassant 12 (10/16/15 est le 16 octobre 2015 ; les "
              "années 00 à 68 sont 2000 à 2068, 69 à 99 sont 1969 à 1999).",
    },
    "dates_day_first_assumed_yy": {
        "en": "{file}: column {column} read as day/month/two-digit year, as French exports "
              "write dates: every value could also be read month first (05/01/16 read as "
              "5 January 2016, not 1 May); years 00 to 68 are 2000 to 2068.",
        "fr": "{file} : colonne {column} lue en jour/mois/année sur deux chiffres, comme les "
              "exports français écrivent les dates : chaque valeur pourrait aussi se lire le "
              "mois d'abord (05/01/16 lu 5 janvier 2016, non 1er mai) ; les années 00 à 68 "
              "sont 2000 à 2068.",
    },
    "dates_day_first_file_yy": {
        "en": "{file}: column {column} read as day/month/two-digit year, as column(s) {source} "
              "of the same file show (a value such as 16/10/15 there): each of its values "
              "could also be read month first (05/01/16 read as 5 January 2016, not 1 May); "
              "years 00 to 68 are 2000 to 2068.",
        "fr": "{file} : colonne {column} lue en jour/mois/année sur deux chiffres, comme le "
              "montre(nt) la ou les colonne(s) {source} du même fichier (une valeur telle que "
              "16/10/15) : chacune de ses valeurs pourrait aussi se lire le mois d'abord "
              "(05/01/16 lu 5 janvier 2016, non 1er mai) ; les années 00 à 68 sont 2000 à 2068.",
    },
    "dates_month_first_file_yy": {
        "en": "{file}: column {column} read as month/day/two-digit year, as column(s) {source} "
              "of the same file show (a value such as 10/16/15 there): each of its values "
              "could also be read day first (05/01/16 read as 1 May 2016, not 5 January); "
              "years 00 to 68 are 2000 to 2068.",
        "fr": "{file} : colonne {column} lue en mois/jour/année sur deux chiffres, comme le "
              "montre(nt) la ou les colonne(s) {source} du même fichier (une valeur telle que "
              "10/16/15) : chacune de ses valeurs pourrait aussi se lire le jour d'abord "
              "(05/01/16 lu 1er mai 2016, non 5 janvier) ; les années 00 à 68 sont 2000 à 2068.",
    },
    "dates_orders_differ": {
        "en": "{file}: the two-digit-year dates of column(s) {day} are written day first (a "
              "value such as 16/10/15) and those of column(s) {month} month first (10/16/15): "
              "each column is read in its own order, and a column whose dates read both ways "
              "day first, as French exports write. Check how the file was exported.",
        "fr": "{file} : les dates à année sur deux chiffres de la ou des colonne(s) {day} sont "
              "écrites le jour d'abord (une valeur telle que 16/10/15) et celles de la ou des "
              "colonne(s) {month} le mois d'abord (10/16/15) : chaque colonne est lue dans son "
              "propre ordre, et une colonne dont les dates se lisent dans les deux sens le "
              "jour d'abord, comme l'écrivent les exports français. Vérifiez comment le "
              "fichier a été exporté.",
    },
    "dates_excel_serial": {
        "en": "{file}: column {column} holds Excel serial day numbers written as text "
              "(42293 is 16 October 2015, Excel's 1900 date system), read as dates.",
        "fr": "{file} : colonne {column} contient des numéros de série de dates Excel écrits "
              "en texte (42293 est le 16 octobre 2015, calendrier 1900 d'Excel), lus comme "
              "des dates.",
    },
}


class Note(str):
    """One note: its English text, with the key and values to write it in French.

    Parameters
    ----------
    key : str
        A key of :data:`MESSAGES`.
    **values
        The placeholders' values (file and column names, counts), already as text
        where quoting matters (``repr`` of a sheet name, for instance).

    Examples
    --------
    >>> note = Note("bom", file="réponses.csv")
    >>> note
    'réponses.csv: UTF-8 byte-order mark removed.'
    >>> note.in_language("fr")
    "réponses.csv : indicateur d'ordre des octets UTF-8 (BOM) retiré."
    >>> "byte-order" in note, isinstance(note, str)
    (True, True)
    """

    key: str
    values: dict[str, Any]

    def __new__(cls, key: str, /, **values: Any) -> Note:
        if key not in MESSAGES:
            raise KeyError(f"unknown note {key!r}")
        text = counted(MESSAGES[key]["en"], "en", values).format(**_in(values, "en"))
        self = super().__new__(cls, text)
        self.key, self.values = key, values
        return self

    def in_language(self, lang: str) -> str:
        """The note in ``lang`` (``"fr"`` or ``"en"``); English for another language."""
        templates = MESSAGES[self.key]
        template = counted(templates.get(lang, templates["en"]), lang, self.values)
        return template.format(**_in(self.values, lang))

    def __reduce__(self):
        return _note, (self.key, self.values)


MESSAGES.update(ERRORS)  # user mistakes found while reading: the same bilingual messages


def counted(template: str, lang: str, values: Mapping[str, Any]) -> str:
    """A message written for any number ("{count} colonne(s) retirée(s)") in the singular
    or the plural of its ``count``: singular for 0 and 1 in French, for 1 in English.

    Examples
    --------
    >>> counted("{count} colonne(s) retirée(s)", "fr", {"count": 1})
    '{count} colonne retirée'
    >>> counted("{count} column(s) dropped", "en", {"count": "1\u202f026"})
    '{count} columns dropped'
    """
    if "(s)" not in template or "count" not in values:
        return template
    digits = re.sub(r"[\s\u202f\u00a0]", "", str(values["count"])).replace(",", ".")
    try:
        number = abs(float(digits))
    except ValueError:
        return template
    one = number < 2 if lang == "fr" else number == 1
    return template.replace("(s)", "" if one else "s")


def _in(values: dict[str, Any], lang: str) -> dict[str, Any]:
    """Placeholder values in ``lang``: a Note (a hint) in that language, a
    ``{"en": ..., "fr": ...}`` pair (a label) as its text in that language."""
    out = {}
    for name, value in values.items():
        if isinstance(value, Note):
            value = value.in_language(lang)
        elif isinstance(value, dict) and "en" in value:
            value = value.get(lang, value["en"])
        out[name] = value
    return out


def _note(key: str, values: dict[str, Any]) -> Note:
    """Rebuild a pickled :class:`Note`."""
    return Note(key, **values)
