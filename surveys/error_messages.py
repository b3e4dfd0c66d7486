"""The messages of user mistakes (a file, a mapping, weighting margins), in English and
French.

They are :class:`surveys.notes.Note` messages like the reading notes: an error raised
as ``SurveyError(Note(key, **values))`` reads in English where it is printed as is
(``str(error)``), and the ``bilan`` command writes it in the pilot's language
(``error.args[0].in_language("fr")``). A value that is itself a Note (an optional
hint such as ``did_you_mean``), or a ``{"en": ..., "fr": ...}`` pair (a variable's
label), is written in the same language.
"""

from __future__ import annotations

__all__ = ["ERRORS"]

#: Message key -> {"en": template, "fr": template}; ``str.format`` placeholders.
ERRORS: dict[str, dict[str, str]] = {
    "did_you_mean": {
        "en": " Did you mean {name}?",
        "fr": " Vouliez-vous dire {name} ?",
    },
    "in_file": {
        "en": "{file}: {message}",
        "fr": "{file} : {message}",
    },
    "no_such_file": {
        "en": "{file}: no such file.",
        "fr": "{file} : fichier introuvable.",
    },
    "is_directory": {
        "en": "{file}: is a directory, not a file.",
        "fr": "{file} : c'est un dossier, pas un fichier.",
    },
    "unsupported_type": {
        "en": "{file}: unsupported file type {suffix}; supported: {supported}.",
        "fr": "{file} : type de fichier {suffix} non pris en charge ; types acceptés : "
              "{supported}.",
    },
    "empty_file": {
        "en": "{file}: the file is empty (0 bytes).",
        "fr": "{file} : le fichier est vide (0 octet).",
    },
    "no_header": {
        "en": "{file}: the file is empty (no header row).",
        "fr": "{file} : le fichier est vide (pas de ligne d'en-tête).",
    },
    "cannot_read": {
        "en": "{file}: cannot be read ({reason}).",
        "fr": "{file} : lecture impossible ({reason}).",
    },
    "not_readable": {
        "en": "{file}: not a readable {format} file ({reason}).",
        "fr": "{file} : ce n'est pas un fichier {format} lisible ({reason}).",
    },
    "not_readable_xlsx": {
        "en": "{file}: not a readable .xlsx workbook ({reason}).",
        "fr": "{file} : ce n'est pas un classeur .xlsx lisible ({reason}).",
    },
    "not_a_table": {
        "en": "{file}: this is {kind}, not a text table; export the survey as CSV, XLSX, "
              "SAV, DTA or Parquet.",
        "fr": "{file} : c'est {kind}, pas un tableau texte ; exportez l'enquête en CSV, "
              "XLSX, SAV, DTA ou Parquet.",
    },
    "kind_png": {"en": "a PNG image", "fr": "une image PNG"},
    "kind_pdf": {"en": "a PDF document", "fr": "un document PDF"},
    "kind_zip": {"en": "a ZIP archive (an .xlsx or .docx file renamed?)",
                 "fr": "une archive ZIP (un fichier .xlsx ou .docx renommé ?)"},
    "kind_gif": {"en": "a GIF image", "fr": "une image GIF"},
    "kind_jpeg": {"en": "a JPEG image", "fr": "une image JPEG"},
    "kind_ole": {"en": "an old Excel/Word file (.xls/.doc): save it as .xlsx or .csv",
                 "fr": "un ancien fichier Excel/Word (.xls/.doc) : enregistrez-le en .xlsx "
                       "ou en .csv"},
    "kind_sav": {"en": "an SPSS .sav file (rename it .sav)",
                 "fr": "un fichier SPSS .sav (renommez-le en .sav)"},
    "kind_parquet": {"en": "a Parquet file (rename it .parquet)",
                     "fr": "un fichier Parquet (renommez-le en .parquet)"},
    "kind_binary": {"en": "a binary file", "fr": "un fichier binaire"},
    "sheet_empty": {
        "en": "{file}: sheet {sheet} is empty (no header row).",
        "fr": "{file} : la feuille {sheet} est vide (pas de ligne d'en-tête).",
    },
    "no_sheet": {
        "en": "{file}: no sheet {sheet}; the sheets are: {sheets}.",
        "fr": "{file} : pas de feuille {sheet} ; les feuilles sont : {sheets}.",
    },
    "unknown_kind": {
        "en": "Unknown kind {kind}: use one of {kinds}.{hint}",
        "fr": "Type de source {kind} inconnu : utilisez l'un de {kinds}.{hint}",
    },
    "mapping_not_variable": {
        "en": "{file}: mapping {column} -> {target}: {name} is not a variable of the {kind} "
              "codebook.{hint}",
        "fr": "{file} : correspondance {column} -> {target} : {name} n'est pas une variable "
              "du dictionnaire des codes « {kind} ».{hint}",
    },
    "mapping_not_option": {
        "en": "{file}: mapping {column} -> {target}: {code} is not an option of {name} "
              "(options: {options}).",
        "fr": "{file} : correspondance {column} -> {target} : {code} n'est pas une option "
              "de {name} (options : {options}).",
    },
    "mapping_absent_column": {
        "en": "{file}: the mapping names column {column}, which is not in the file.{hint} "
              "Columns are: {shown}.",
        "fr": "{file} : la correspondance nomme la colonne {column}, qui n'est pas dans le "
              "fichier.{hint} Les colonnes sont : {shown}.",
    },
    "mapped_twice": {
        "en": "{file}: columns {first} and {second} are both mapped to {name}; map only one.",
        "fr": "{file} : les colonnes {first} et {second} correspondent toutes deux à {name} ; "
              "n'en gardez qu'une.",
    },
    "required_missing": {
        "en": "{file}: required column {name} ({label}) not found for kind {kind}; map "
              "the column that holds it, e.g. mapping={{'<column>': {name}}}. Columns are: "
              "{shown}.",
        "fr": "{file} : colonne obligatoire {name} ({label}) introuvable pour le type "
              "{kind} ; indiquez la colonne qui la contient, par exemple "
              "\"<colonne>\" = {name} dans [sources.<nom>.mapping]. Les colonnes sont : "
              "{shown}.",
    },
    "recode_not_variable": {
        "en": "{file}: recode names {name}, which is not a variable of the {kind} "
              "codebook.{hint}",
        "fr": "{file} : le recodage nomme {name}, qui n'est pas une variable du "
              "dictionnaire des codes « {kind} ».{hint}",
    },
    "recode_not_mapping": {
        "en": "{file}: recode[{name}] must map source values to codes.",
        "fr": "{file} : recode[{name}] doit associer des valeurs du fichier à des codes.",
    },
    "nothing_left": {
        "en": "{file}: nothing left to analyse: no usable row ({reasons}); check the rows "
              "and {key}.",
        "fr": "{file} : plus rien à analyser : aucune ligne utilisable ({reasons}) ; "
              "vérifiez les lignes et {key}.",
    },
    "nothing_left_key": {  # {key} of nothing_left: one key column
        "en": "the key column {key}",
        "fr": "la colonne clé {key}",
    },
    "nothing_left_required": {  # {key} of nothing_left: the required columns
        "en": "the required columns {key}",
        "fr": "les colonnes obligatoires {key}",
    },
    "margin_not_mapping": {
        "en": "The {what} for {columns} must map each category to a total or share, got "
              "{given}.",
        "fr": "Calage sur {columns} ({what}) : chaque modalité doit recevoir un total ou "
              "une part ; reçu {given}.",
    },
    "margin_negative": {
        "en": "The {what} for {columns} must be numbers >= 0, got {given}.",
        "fr": "Calage sur {columns} ({what}) : les valeurs doivent être des nombres >= 0 ; "
              "reçu {given}.",
    },
    "margin_missing_values": {
        "en": "{count} respondent(s) with no value for {columns}; every respondent needs one "
              "for {what} (impute it or drop those rows first).",
        "fr": "{count} répondant(s) sans valeur pour {columns} ; chaque répondant en a "
              "besoin pour le calage ({what}) : imputez-la ou retirez d'abord ces lignes.",
    },
    "margin_unknown_category": {
        "en": "Respondents with {column} = {value} have no {what} value; add {value} to "
              "the {what} (known: {known}).",
        "fr": "Des répondants ont {column} = {value}, modalité absente du calage ({what}) ; "
              "ajoutez {value} (modalités connues : {known}).",
    },
    "margin_empty_category": {
        "en": "No respondent is in {what} category {value} of {columns}; merge it with a "
              "neighbouring category or drop it from the {what}.",
        "fr": "Aucun répondant dans la modalité {value} de {columns} (calage, {what}) ; "
              "regroupez-la avec une modalité voisine ou retirez-la.",
    },
    "margins_totals_differ": {
        "en": "The margins do not add up to the same population total: {totals}. Give every "
              "margin the same total, or give shares (summing to 1).",
        "fr": "Les marges n'ont pas le même total de population : {totals}. Donnez le même "
              "total à chaque marge, ou des parts (de somme 1).",
    },
    "pilot_impact_number": {
        "en": "{file}: [impact] {key} = {value} is not a number at least 0; write the "
              "parameter's value, e.g. co2_kg_per_km = 0.12.",
        "fr": "{file} : [impact] {key} = {value} n'est pas un nombre positif ou nul ; "
              "écrivez la valeur du paramètre, par exemple co2_kg_per_km = 0.12.",
    },
    "pilot_open_days": {
        "en": "{file}: [attendance] open_days = {value}; use \"all\" (every calendar day, "
              "the default) or \"weekdays\" (Monday to Friday).",
        "fr": "{file} : [attendance] open_days = {value} ; utilisez \"all\" (tous les jours "
              "du calendrier, par défaut) ou \"weekdays\" (du lundi au vendredi).",
    },
    "pilot_little_used": {
        "en": "{file}: [attendance] little_used = {value}; give the occupancy below which a "
              "place is called little used, as a share above 0 and at most 1 (default 0.2).",
        "fr": "{file} : [attendance] little_used = {value} ; donnez le taux d'occupation sous "
              "lequel un lieu est dit peu utilisé, comme une part entre 0 (exclu) et 1 "
              "(0.2 par défaut).",
    },
    "impact_unknown_parameter": {
        "en": "unknown impact parameter(s) {names}; the parameters are: {allowed}.",
        "fr": "paramètre(s) d'impact inconnu(s) {names} ; les paramètres sont : {allowed}.",
    },
    "in_impact": {
        "en": "{file}: [impact]: {message}",
        "fr": "{file} : [impact] : {message}",
    },
    "in_weighting": {
        "en": "{file}: [weighting.{source}]: {message}",
        "fr": "{file} : [weighting.{source}] : {message}",
    },
    "pilot_no_source": {
        "en": "{file}: no source named {name}; sources are {sources}.{hint}",
        "fr": "{file} : aucune source nommée {name} ; les sources sont {sources}.{hint}",
    },
    "pilot_lang": {
        "en": "{file}: [pilot] lang = {lang}; use \"fr\" or \"en\".",
        "fr": "{file} : [pilot] lang = {lang} ; utilisez \"fr\" ou \"en\".",
    },
    "pilot_min_cell": {
        "en": "{file}: [pilot] min_cell = {value}; use a whole number of at least 1 and at "
              "most {most} (default 5).",
        "fr": "{file} : [pilot] min_cell = {value} ; donnez un nombre entier d'au moins 1 et "
              "d'au plus {most} (5 par défaut).",
    },
    "pilot_salt": {
        "en": "{file}: [pilot] salt must be a non-empty string.",
        "fr": "{file} : [pilot] salt doit être une chaîne de caractères non vide.",
    },
    "pilot_no_sources": {
        "en": "{file}: [sources] is empty; add a [sources.<name>] table.",
        "fr": "{file} : [sources] est vide ; ajoutez une table [sources.<nom>].",
    },
    "pilot_not_found": {
        "en": "{file}: pilot file not found.",
        "fr": "{file} : fichier de pilote introuvable.",
    },
    "pilot_not_utf8": {
        "en": "{file}: not a UTF-8 text file.",
        "fr": "{file} : ce n'est pas un fichier texte UTF-8.",
    },
    "pilot_not_toml": {
        "en": "{file}: not valid TOML ({reason}).",
        "fr": "{file} : TOML invalide ({reason}).",
    },
    "pilot_unknown_key": {
        "en": "{file}: {place}unknown key {key}; {hint}",
        "fr": "{file} : {place}clé inconnue {key} ; {hint}",
    },
    "pilot_key_close": {
        "en": "did you mean {name}?",
        "fr": "vouliez-vous dire {name} ?",
    },
    "pilot_keys_allowed": {
        "en": "allowed: {allowed}.",
        "fr": "clés possibles : {allowed}.",
    },
    "pilot_no_table": {
        "en": "{file}: no [{key}] table; add e.g. [{key}.agents].",
        "fr": "{file} : pas de table [{key}] ; ajoutez par exemple [{key}.agents].",
    },
    "pilot_not_table": {
        "en": "{file}: {key} must be a table ([{key}]).",
        "fr": "{file} : {key} doit être une table ([{key}]).",
    },
    "pilot_source_not_table": {
        "en": "{file}: {at} must be a table.",
        "fr": "{file} : {at} doit être une table.",
    },
    "pilot_no_kind": {
        "en": "{file}: {at} has no 'kind'; add kind = \"agent\" (one of {kinds}).",
        "fr": "{file} : {at} n'a pas de clé 'kind' ; ajoutez kind = \"agent\" (l'un de "
              "{kinds}).",
    },
    "pilot_bad_kind": {
        "en": "{file}: {at} kind = {kind} is not one of {kinds}.{hint}",
        "fr": "{file} : {at} kind = {kind} n'est pas l'un de {kinds}.{hint}",
    },
    "pilot_no_path": {
        "en": "{file}: {at} has no 'path'; add path = \"<file>\" (relative to the pilot file).",
        "fr": "{file} : {at} n'a pas de clé 'path' ; ajoutez path = \"<fichier>\" (chemin "
              "relatif au fichier de pilote).",
    },
    "pilot_population": {
        "en": "{file}: {at} population = {value}; give a positive, finite number or the name "
              "of a column of per-stratum sizes.",
        "fr": "{file} : {at} population = {value} ; donnez un nombre positif et fini ou le nom "
              "d'une colonne de tailles par strate.",
    },
    "pilot_key_not_table": {
        "en": "{file}: {at} {key} must be a table ([sources.{name}.{key}]).",
        "fr": "{file} : {at} {key} doit être une table ([sources.{name}.{key}]).",
    },
    "pilot_recode_not_table": {
        "en": "{file}: [sources.{name}.recode] {variable} must be a table of source value = "
              "code.",
        "fr": "{file} : [sources.{name}.recode] {variable} doit être une table de lignes "
              "valeur du fichier = code.",
    },
    "pilot_weights_column": {
        "en": "{file}: {at} weights = {value}: design weights read from a column are not "
              "supported yet; give the known margins in [weighting.{name}] (the respondents "
              "are raked to them) or remove the key.",
        "fr": "{file} : {at} weights = {value} : les poids lus dans une colonne ne sont pas "
              "encore pris en charge ; donnez les marges connues dans [weighting.{name}] "
              "(les répondants y sont calés) ou retirez la clé.",
    },
    "pilot_strata_absent": {
        "en": "{at}: no such column in {data} once read (columns: {columns}); name the "
              "canonical variable holding the strata, mapping the source column onto it in "
              "[sources.{name}.mapping].{hint}",
        "fr": "{at} : pas de telle colonne dans {data} une fois lu (colonnes : {columns}) ; "
              "nommez la variable canonique qui porte les strates, en y faisant correspondre "
              "la colonne du fichier dans [sources.{name}.mapping].{hint}",
    },
    "pilot_strata_missing": {
        "en": "{at}: {count} respondent(s) of {data} without a stratum; every respondent needs "
              "one: fill the column in, or remove the strata key.",
        "fr": "{at} : {count} répondant(s) de {data} sans strate ; chaque répondant en a "
              "besoin : complétez la colonne, ou retirez la clé strata.",
    },
    "pilot_population_no_strata": {
        "en": "{at}: a column of per-stratum population sizes needs the strata; add "
              "strata = \"<variable>\" to [sources.{name}], or give the population as one "
              "number.",
        "fr": "{at} : une colonne de tailles de population par strate demande les strates ; "
              "ajoutez strata = \"<variable>\" à [sources.{name}], ou donnez la population "
              "en un seul nombre.",
    },
    "pilot_population_absent": {
        "en": "{at}: no such column in {data} once read (columns: {columns}); name the "
              "canonical variable holding each stratum's population size "
              "(stratum_population), mapping the source column onto it in "
              "[sources.{name}.mapping].{hint}",
        "fr": "{at} : pas de telle colonne dans {data} une fois lu (colonnes : {columns}) ; "
              "nommez la variable canonique qui porte la taille de population de chaque "
              "strate (stratum_population), en y faisant correspondre la colonne du fichier "
              "dans [sources.{name}.mapping].{hint}",
    },
    "pilot_population_not_positive": {
        "en": "{at}: {count} respondent(s) of {data} without a positive population size "
              "(first at data row {row}: {value}); give every respondent the population "
              "size of their stratum.",
        "fr": "{at} : {count} répondant(s) de {data} sans taille de population positive "
              "(première à la ligne de données {row} : {value}) ; donnez à chaque répondant "
              "la taille de population de sa strate.",
    },
    "pilot_population_varies": {
        "en": "{at}: the population size varies within stratum {stratum} of {data} (from "
              "{low} to {high}); it must be the size of the stratum ({strata}), the same "
              "for all its respondents.",
        "fr": "{at} : la taille de population varie au sein de la strate {stratum} de "
              "{data} (de {low} à {high}) ; ce doit être la taille de la strate ({strata}), "
              "la même pour tous ses répondants.",
    },
    "pilot_population_too_small": {
        "en": "{at}: stratum {stratum} of {data} has a population of {size} but {count} "
              "respondents; the population size of a stratum is at least its number of "
              "respondents.",
        "fr": "{at} : la strate {stratum} de {data} a une population de {size} mais "
              "{count} répondants ; la taille de population d'une strate est au moins son "
              "nombre de répondants.",
    },
    "pilot_missing_file": {
        "en": "{file}: {at} = {relative}: file {path} does not exist (paths are relative to "
              "the pilot file).",
        "fr": "{file} : {at} = {relative} : le fichier {path} n'existe pas (les chemins sont "
              "relatifs au fichier de pilote).",
    },
    "pilot_weighting_source": {
        "en": "{file}: [weighting.{name}] names no source.{hint}",
        "fr": "{file} : [weighting.{name}] ne nomme aucune source.{hint}",
    },
    "pilot_margin_format": {
        "en": "{file}: [weighting.{name}] {column} must map categories to population totals "
              "or shares, e.g. {{ F = 26, M = 14 }}.",
        "fr": "{file} : [weighting.{name}] {column} doit associer à chaque modalité un total "
              "de population ou une part, par exemple {{ F = 26, M = 14 }}.",
    },
    "pilot_margin_not_number": {
        "en": "{file}: [weighting.{name}] {column}: {key} = {value} is not a finite number at "
              "least 0; give the category's population total or share.",
        "fr": "{file} : [weighting.{name}] {column} : {key} = {value} n'est pas un nombre fini "
              "positif ou nul ; donnez le total ou la part de la modalité dans la population.",
    },
    "pilot_margin_shares_sum": {
        "en": "{file}: [weighting.{name}] {column}: the shares {shown} add up to {total}, not "
              "1; correct them (or give population totals).",
        "fr": "{file} : [weighting.{name}] {column} : les parts {shown} ont pour somme "
              "{total}, et non 1 ; corrigez-les (ou donnez des totaux de population).",
    },
    "pilot_margin_unknown_code": {
        "en": "{file}: [weighting.{name}] {column}: unknown category {key}.{hint} The "
              "categories are: {codes}.",
        "fr": "{file} : [weighting.{name}] {column} : modalité {key} inconnue.{hint} Les "
              "modalités sont : {codes}.",
    },
    "pilot_margin_boolean": {
        "en": "{file}: [weighting.{name}] {column} is yes/no: {key} is neither; write true "
              "and false, e.g. {column} = {{ true = 0.2, false = 0.8 }}.",
        "fr": "{file} : [weighting.{name}] {column} vaut oui ou non : {key} n'est ni l'un ni "
              "l'autre ; écrivez true et false, par exemple {column} = "
              "{{ true = 0.2, false = 0.8 }}.",
    },
    "pilot_margin_twice": {
        "en": "{file}: [weighting.{name}] {column}: {first} and {second} both stand for "
              "category {code}; keep only one.",
        "fr": "{file} : [weighting.{name}] {column} : {first} et {second} désignent toutes "
              "deux la modalité {code} ; n'en gardez qu'une.",
    },
    "margin_absent_column": {
        "en": "no column {column} in {data} once read.{hint} Name the canonical variable "
              "(columns: {columns}).",
        "fr": "pas de colonne {column} dans {data} une fois lu.{hint} Nommez la variable "
              "canonique (colonnes : {columns}).",
    },
    "margin_zero_with_respondents": {
        "en": "{column}: {value} = 0, but {column} is {value} for {count} respondent(s); a "
              "margin of 0 would give them a weight of 0 and leave them out of every "
              "figure. Give the population share or total of {value}.",
        "fr": "{column} : {value} = 0, mais {column} vaut {value} pour {count} répondant(s) ; "
              "une marge de 0 leur donnerait un poids nul et les retirerait de tous les "
              "chiffres. Donnez la part ou le total de {value} dans la population.",
    },
    "pilot_baseline_unknown": {
        "en": "{file}: [baselines] compare: no baseline source {name}.{hint} The sources "
              "are: {known}.",
        "fr": "{file} : [baselines] compare : aucune source de référence nommée {name}."
              "{hint} Les sources sont : {known}.",
    },
    "pilot_impact_unknown": {
        "en": "{file}: [impact] {key} is not a parameter of the impact model.{hint} The "
              "parameters are: {allowed}.",
        "fr": "{file} : [impact] {key} n'est pas un paramètre du modèle d'impact.{hint} Les "
              "paramètres sont : {allowed}.",
    },
    "pilot_path_not_text": {
        "en": "{file}: {at} path = {value} must be a file name in quotes, e.g. "
              "path = \"agents.csv\" (relative to the pilot file).",
        "fr": "{file} : {at} path = {value} doit être un nom de fichier entre guillemets, "
              "par exemple path = \"agents.csv\" (chemin relatif au fichier de pilote).",
    },
    "pilot_path_is_folder": {
        "en": "{file}: {at} = {relative}: {path} is a folder, not a file; name the data file "
              "inside it.",
        "fr": "{file} : {at} = {relative} : {path} est un dossier, pas un fichier ; nommez le "
              "fichier de données qu'il contient.",
    },
    "pilot_baselines_list": {
        "en": "{file}: [baselines] {key} must be a list of strings.",
        "fr": "{file} : [baselines] {key} doit être une liste de chaînes de caractères.",
    },
    "no_data_rows": {
        "en": "the file has no data rows",
        "fr": "le fichier n'a aucune ligne de données",
    },
    # --- session 12: a user's own codebook (surveys/codebook.py) and baseline files
    # (analysis/baselines.py) ---
    "paren_did_you_mean": {
        "en": " (did you mean {name}?)",
        "fr": " (vouliez-vous dire {name} ?)",
    },
    "yaml_invalid": {
        "en": "{file}: not valid YAML ({reason}).",
        "fr": "{file} : YAML invalide ({reason}).",
    },
    "codebook_at": {
        "en": "{file}: {path}",
        "fr": "{file} : {path}",
    },
    "codebook_not_found": {
        "en": "{path}: codebook file not found.",
        "fr": "{path} : fichier de dictionnaire des codes introuvable.",
    },
    "codebook_not_mapping": {
        "en": "{file}: a codebook must be a YAML mapping.",
        "fr": "{file} : un dictionnaire des codes doit être une table YAML (clé: valeur).",
    },
    "codebook_no_kind": {
        "en": "{file}: no 'kind' key; add e.g. kind: agent.",
        "fr": "{file} : pas de clé 'kind' ; ajoutez par exemple kind: agent.",
    },
    "codebook_no_variables": {
        "en": "{file}: 'variables' must be a mapping of variable names.",
        "fr": "{file} : 'variables' doit être une table dont les clés sont les noms des "
              "variables.",
    },
    "codebook_labels": {
        "en": "{at}: needs French and English labels ({{fr: ..., en: ...}}).",
        "fr": "{at} : il faut un libellé en français et en anglais ({{fr: ..., en: ...}}).",
    },
    "codebook_variable_not_mapping": {
        "en": "{at}: must be a mapping with at least 'type' and 'label'.",
        "fr": "{at} : doit être une table avec au moins 'type' et 'label'.",
    },
    "codebook_unknown_key": {
        "en": "{at}: unknown key {key}{hint}.",
        "fr": "{at} : clé inconnue {key}{hint}.",
    },
    "codebook_bad_type": {
        "en": "{at}: {value} is not one of {types}.",
        "fr": "{at} : {value} n'est pas l'un des types {types}.",
    },
    "codebook_unknown_scale": {
        "en": "{at}: unknown scale {scale}.",
        "fr": "{at} : échelle {scale} inconnue.",
    },
    "codebook_codes_mapping": {
        "en": "{at}: must be a mapping code -> {{fr, en, aliases}}.",
        "fr": "{at} : doit être une table code -> {{fr, en, aliases}}.",
    },
    "codebook_needs_codes": {
        "en": "{at}: a {type} variable needs its codes.",
        "fr": "{at} : une variable de type {type} a besoin de ses codes.",
    },
    "codebook_range": {
        "en": "{at}: must be [low, high] numbers, got {value}.",
        "fr": "{at} : doit être [bas, haut], deux nombres ; reçu {value}.",
    },
    "codebook_bands": {
        "en": "{at}: give (lower, upper] months for each code, in order.",
        "fr": "{at} : donnez les bornes (basse, haute] en mois de chaque code, dans l'ordre.",
    },
    "codebook_band_bounds": {
        "en": "{at}: needs 0 <= lower < upper, got {pair}.",
        "fr": "{at} : il faut 0 <= borne basse < borne haute ; reçu {pair}.",
    },
    "codebook_not_variable": {
        "en": "{file}: {key} names {name}, which is not a variable.",
        "fr": "{file} : {key} nomme {name}, qui n'est pas une variable.",
    },
    "baseline_unknown_source": {
        "en": "No baseline source {source}{hint}; the sources are: {known}.",
        "fr": "Aucune source de référence {source}{hint} ; les sources sont : {known}.",
    },
    "baseline_suffix": {
        "en": "{file}: baseline files must be .yaml, .yml or .csv, got {suffix}.",
        "fr": "{file} : un fichier de références doit être en .yaml, .yml ou .csv, et non "
              "{suffix}.",
    },
    "baseline_no_file": {
        "en": "No baseline file given: pass a path to a .yaml or .csv file.",
        "fr": "Aucun fichier de références donné : indiquez le chemin d'un fichier .yaml ou "
              ".csv.",
    },
    "baseline_missing_file": {
        "en": "Baseline file {path} does not exist.",
        "fr": "Le fichier de références {path} n'existe pas.",
    },
    "baseline_no_sources": {
        "en": "{file}: expected a top-level key 'sources' holding a list.",
        "fr": "{file} : il faut une clé 'sources' au premier niveau, contenant une liste.",
    },
    "baseline_not_csv": {
        "en": "{file}: not a readable CSV file ({reason}).",
        "fr": "{file} : ce n'est pas un fichier CSV lisible ({reason}).",
    },
    "baseline_required_column": {
        "en": "{file}: required column {column} is missing.",
        "fr": "{file} : la colonne obligatoire {column} manque.",
    },
    "baseline_at_source_number": {"en": "{file}, source {number}",
                                  "fr": "{file}, source de référence n° {number}"},
    "baseline_at_source": {"en": "{file}, source {source}",
                           "fr": "{file}, source de référence {source}"},
    "baseline_at_indicator": {"en": "{at}, indicator {indicator}",
                              "fr": "{at}, indicateur {indicator}"},
    "baseline_at_row": {"en": "{file}, row {number}", "fr": "{file}, ligne {number}"},
    "baseline_at_column": {"en": "{at}, column {column}", "fr": "{at}, colonne {column}"},
    "baseline_catalogue": {"en": "the catalogue", "fr": "le catalogue"},
    "baseline_user_files": {"en": "user baselines", "fr": "références ajoutées"},
    "baseline_word_key": {"en": "key", "fr": "clé"},
    "baseline_word_column": {"en": "column", "fr": "colonne"},
    "baseline_missing_key": {
        "en": "{at}: missing key {key}.",
        "fr": "{at} : clé {key} manquante.",
    },
    "baseline_indicators_list": {
        "en": "{at}: key 'indicators' must be a non-empty list.",
        "fr": "{at} : la clé 'indicators' doit être une liste non vide.",
    },
    "baseline_not_mapping": {
        "en": "{at}: expected a mapping of keys to values.",
        "fr": "{at} : il faut une table de clés et de valeurs (clé: valeur).",
    },
    "baseline_cell_not_yaml": {
        "en": "{at}: {text} is not valid YAML; write e.g. {{equals: M}}.",
        "fr": "{at} : {text} n'est pas du YAML valide ; écrivez par exemple {{equals: M}}.",
    },
    "baseline_share_outside": {
        "en": "{at}, key 'value': {value} is a share outside [0, 1]; write shares as "
              "fractions (0.69, not 69) or give a 'unit' such as count or eur.",
        "fr": "{at}, clé 'value' : {value} est une part hors de [0, 1] ; écrivez les parts "
              "en fractions (0.69, et non 69) ou donnez une unité ('unit') comme count ou "
              "eur.",
    },
    "baseline_not_flag": {
        "en": "{at}, key {key}: {value} is not true or false.",
        "fr": "{at}, clé {key} : {value} n'est ni true ni false.",
    },
    "baseline_not_number": {
        "en": "{at}, key {key}: {value} is not a number.",
        "fr": "{at}, clé {key} : {value} n'est pas un nombre.",
    },
    "baseline_bad_kind": {
        "en": "{at}, key 'kind': {kind} is not a survey kind{hint}; use one of {kinds}.",
        "fr": "{at}, clé 'kind' : {kind} n'est pas un type d'enquête{hint} ; utilisez l'un "
              "de {kinds}.",
    },
    "baseline_kind_and_variable": {
        "en": "{at}: give both 'kind' and 'variable', or neither.",
        "fr": "{at} : donnez à la fois 'kind' et 'variable', ou aucun des deux.",
    },
    "baseline_needs_kind": {
        "en": "{at}: {key} needs 'kind' and 'variable'.",
        "fr": "{at} : {key} demande 'kind' et 'variable'.",
    },
    "baseline_share_condition": {
        "en": "a share needs a 'condition' saying which answers count",
        "fr": "une part demande une condition ('condition') disant quelles réponses comptent",
    },
    "baseline_subset": {
        "en": "subset {subset} must map a variable to a condition, e.g. "
              "{{sector: {{equals: public}}}}",
        "fr": "le sous-ensemble (subset) {subset} doit associer une variable à une "
              "condition, par exemple {{sector: {{equals: public}}}}",
    },
    "baseline_unknown_key": {
        "en": "{at}: unknown {what} {key}{hint}; allowed: {allowed}.",
        "fr": "{at} : {what} inconnue {key}{hint} ; possibles : {allowed}.",
    },
    "baseline_twice": {
        "en": "{at}: indicator {indicator} of source {source} appears twice; give each "
              "indicator a distinct id.",
        "fr": "{at} : l'indicateur {indicator} de la source {source} figure deux fois ; "
              "donnez à chaque indicateur un identifiant distinct.",
    },
    "condition_not_yaml": {
        "en": "condition {condition} is not valid YAML: {reason}",
        "fr": "condition {condition} : YAML invalide : {reason}",
    },
    "condition_one_operator": {
        "en": "condition {condition} must be one operator and its value, e.g. "
              "{{equals: M}}; operators: {operators}.",
        "fr": "la condition {condition} doit être un opérateur et sa valeur, par exemple "
              "{{equals: M}} ; opérateurs : {operators}.",
    },
    "condition_unknown_operator": {
        "en": "condition operator {operator} is unknown{hint}; use one of {operators}.",
        "fr": "opérateur de condition {operator} inconnu{hint} ; utilisez l'un de "
              "{operators}.",
    },
    "condition_needs_number": {
        "en": "condition {operator}: {value} needs a number.",
        "fr": "condition {operator} : {value} demande un nombre.",
    },
    "condition_needs_list": {
        "en": "condition in: {value} needs a list, e.g. {{in: [a, b]}}.",
        "fr": "condition in : {value} demande une liste, par exemple {{in: [a, b]}}.",
    },
    "condition_needs_bool": {
        "en": "condition is: {value} needs true or false.",
        "fr": "condition is : {value} demande true ou false.",
    },
}
