"""Build the labelled name-matching benchmark (``matching_benchmark.csv``).

Every row is a *constructed* organisation name, written the way Russian
sources write the names of foreign groups' subsidiaries, with the registry
group it belongs to (``expected_mne_id``) or none. Nothing here is a sourced
fact about a firm: the positives are a group's brand (in Latin and in a
Russian practical transcription, see :data:`BRANDS`) dressed by the rules
below; the negatives (:data:`NEGATIVES`) are names of domestic firms, Russian
joint-venture partners and foreign firms of *other* groups, written as they
commonly appear.

Rules for the positives, each applied with a seeded random choice per group
(seed 12), so the file is reproducible byte for byte::

    legal_before   ООО «X», АО "X", ЗАО 'X', ПАО “X”, LLC "X"
    legal_after    X LLC, X GmbH, X Inc., X Инк., X Лтд, X ПЛС, X SE, X AG, X Корп.
    descriptor     X Рус, X Rus, X Russia, X Восток, X СНГ, X Manufacturing Rus, ...
    town           X Калуга, X Kaluga, X Елабуга, X St. Petersburg, ...
    typo           one letter substituted, dropped, doubled or two swapped
    word_order     descriptor before the brand (Рус X), or the brand's words swapped
    case           upper case with a legal form
    combo          legal form + descriptor + town
    generic_extra  the brand + one or two ordinary business words (GENERIC_LAT/
                   GENERIC_CYR: Technologies, Solutions, Завод, Инжиниринг ...,
                   and words of the group's own industry: Electric, Chemicals ...)

Run ``python benchmarks/make_matching_benchmark.py`` to rewrite the CSV; the
benchmark itself is run by ``python benchmarks/bench_matching.py --benchmark``.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "matching_benchmark.csv"
REGISTRY = HERE.parent / "data" / "raw" / "reference" / "mne_registry.csv"

#: Each registry group's brand as Latin and Russian sources write it. The
#: Russian forms follow practical transcription (English-to-Russian, German,
#: Japanese Polivanov); they are written here by hand, not taken from the
#: registry's aliases (several groups have no Cyrillic alias at all).
BRANDS: dict[str, tuple[str, str]] = {
    "stada": ("STADA", "Штада"),
    "menarini": ("Menarini", "Менарини"),
    "novo-nordisk": ("Novo Nordisk", "Ново Нордиск"),
    "astrazeneca": ("AstraZeneca", "АстраЗенека"),
    "pfizer": ("Pfizer", "Пфайзер"),
    "volkswagen": ("Volkswagen", "Фольксваген"),
    "psa": ("Peugeot Citroen", "Пежо Ситроен"),
    "mitsubishi-motors": ("Mitsubishi Motors", "Мицубиси Моторс"),
    "volvo-group": ("Volvo Trucks", "Вольво Тракс"),
    "continental": ("Continental", "Континенталь"),
    "magna": ("Magna", "Магна"),
    "faurecia": ("Faurecia", "Фуресия"),
    "lear": ("Lear", "Лир"),
    "yapp": ("YAPP", "ЯПП"),
    "ford": ("Ford", "Форд"),
    "daimler": ("Daimler", "Даймлер"),
    "cummins": ("Cummins", "Камминс"),
    "zf": ("ZF", "ЗФ"),
    "cnh-industrial": ("CNH Industrial", "СиЭнЭйч Индастриал"),
    "air-liquide": ("Air Liquide", "Эр Ликид"),
    "schneider-electric": ("Schneider Electric", "Шнейдер Электрик"),
    "rockwool": ("Rockwool", "Роквул"),
    "linde": ("Linde", "Линде"),
    "haier": ("Haier", "Хайер"),
    "general-motors": ("General Motors", "Дженерал Моторс"),
    "renault": ("AvtoVAZ", "АвтоВАЗ"),
    "nissan": ("Nissan", "Ниссан"),
    "suzuki": ("Suzuki", "Сузуки"),
    "hyundai": ("Hyundai", "Хюндай"),
    "toyota": ("Toyota", "Тойота"),
    "grupo-antolin": ("Antolin", "Антолин"),
    "nokian-tyres": ("Nokian Tyres", "Нокиан Тайерс"),
    "tenneco": ("Tenneco", "Теннеко"),
    "gestamp": ("Gestamp", "Гестамп"),
    "novartis": ("Novartis", "Новартис"),
    "teva": ("Teva", "Тева"),
    "takeda": ("Takeda", "Такеда"),
    "whirlpool": ("Whirlpool", "Вирлпул"),
    "airbus": ("Airbus", "Эйрбас"),
    "bmw": ("BMW", "БМВ"),
    "kia": ("Kia", "Киа"),
    "hadassah": ("Hadassah", "Хадасса"),
    "snu-bundang": ("Bundang Hospital", "Бундан Хоспитал"),
    "clinique-saint-charles": ("Saint Charles", "Сен-Шарль"),
    "microsoft": ("Microsoft", "Майкрософт"),
    "siemens": ("Siemens", "Сименс"),
    "cisco": ("Cisco", "Циско"),
    "johnson-johnson": ("Johnson & Johnson", "Джонсон & Джонсон"),
    "brose": ("Brose", "Брозе"),
    "sumitomo-riko": ("Sumitomo Riko", "Сумитомо Рико"),
    "sneci": ("SNECI", "СНЕСИ"),
    "fujitsu": ("Fujitsu", "Фуджитсу"),
    "danfoss": ("Danfoss", "Данфосс"),
    "mondi": ("Mondi", "Монди"),
    "fuchs": ("FUCHS", "Фукс"),
    "baoji": ("Baoji", "Баоцзи"),
    "porcher-industries": ("Porcher Industries", "Порше Индастриз"),
    "kastamonu": ("Kastamonu", "Кастамону"),
    "karl-schmidt": ("Karl Schmidt Spedition", "Карл Шмидт Шпедицион"),
}

#: Transcriptions that differ from BRANDS, as other sources write them
#: (English-based versus native-language-based transcription).
OTHER_SPELLINGS: dict[str, list[str]] = {
    "hyundai": ["Хёндэ", "Хендэ", "Хундай"],
    "cummins": ["Камминз"],
    "schneider-electric": ["Шнайдер Электрик"],
    "fujitsu": ["Фудзицу"],
    "mitsubishi-motors": ["Митсубиши Моторс"],
    "microsoft": ["Микрософт"],
    "continental": ["Континентал"],
    "whirlpool": ["Уирлпул"],
    "general-motors": ["Джи Эм", "GM"],
    "johnson-johnson": ["Джонсон энд Джонсон", "Johnson and Johnson"],
    "volkswagen": ["Фольксваген Груп"],
    "daimler": ["Мерседес-Бенц", "Mercedes-Benz"],
    "takeda": ["Nycomed"],
}

LEGAL_BEFORE = ["ООО «{}»", 'АО "{}"', "ЗАО '{}'", "ПАО “{}”", 'LLC "{}"', "ООО {}", "АО «{}»"]
LEGAL_AFTER = [
    "{} LLC",
    "{} GmbH",
    "{} Inc.",
    "{} Инк.",
    "{} Лтд",
    "{} ПЛС",
    "{} SE",
    "{} AG",
    "{} Корп.",
    "{} Ltd.",
    "{} S.p.A.",
    "{} ГмбХ",
    "{} Corporation",
    "{} A/S",
]
DESCRIPTORS_LAT = [
    "Rus",
    "Russia",
    "Vostok",
    "CIS",
    "Manufacturing Rus",
    "Industries",
    "Group",
    "Holding",
    "Trading",
    "Eurasia",
]
DESCRIPTORS_CYR = [
    "Рус",
    "Россия",
    "Восток",
    "СНГ",
    "Мэнуфэкчуринг Рус",
    "Мануфактуринг Рус",
    "Индастриз",
    "Груп",
    "Холдинг",
    "Трейдинг",
    "Евразия",
]
#: Descriptors that name an industry are only given to groups of that industry
#: (a pharmaceutical group's subsidiary is "… Фарма", a car maker's "… Моторс").
INDUSTRY_DESCRIPTORS = {
    "pharma_biotech": (["Pharma", "Pharmaceuticals"], ["Фарма", "Фармасьютикалс"]),
    "medical": (["Pharma", "Healthcare"], ["Фарма", "Хелскеа"]),
    "automotive": (
        ["Motors", "Automotive Systems Rus", "Automotive"],
        ["Моторс", "Аутомотив Системс", "Автомотив"],
    ),
}
#: Ordinary business and industry words a subsidiary adds to its group's
#: brand, as an English dictionary gives them and as Russian practical
#: transcription (or translation) writes them. Written here from the
#: vocabulary, independently of the matcher's word lists: several spellings
#: (Технолоджи, Инновейшнс, Солюшенс, Дистрибьюшн, Эпплаенсис, Девелопмент)
#: are in no list of name_words.yaml.
GENERIC_LAT = [
    "Technologies",
    "Technology",
    "Innovations",
    "Solutions",
    "Systems",
    "Engineering",
    "Equipment",
    "Components",
    "Logistics",
    "Marketing",
    "Distribution",
    "Production",
    "Plant",
    "Factory",
    "Works",
    "Development",
    "Management",
    "Research",
    "Supply",
    "Tools",
]
GENERIC_CYR = [
    "Технолоджи",
    "Технолоджис",
    "Технологии",
    "Инновации",
    "Инновейшнс",
    "Солюшнс",
    "Солюшенс",
    "Решения",
    "Системс",
    "Инжиниринг",
    "Иквипмент",
    "Компонентс",
    "Логистикс",
    "Логистика",
    "Маркетинг",
    "Дистрибьюшн",
    "Продакшн",
    "Производство",
    "Завод",
    "Девелопмент",
    "Менеджмент",
]
#: Industry words, given only to groups of a fitting registry industry.
GENERIC_INDUSTRY = {
    "machinery_equipment": (
        ["Electric", "Electrical", "Turbines", "Energy", "Appliances"],
        ["Электрик", "Электрикал", "Турбины", "Энерджи", "Эпплаенсис"],
    ),
    "chemicals": (["Chemicals", "Gas", "Gases"], ["Кемикалс", "Газ", "Химия"]),
    "pharma_biotech": (
        ["Pharmaceuticals", "Healthcare", "Chemicals"],
        ["Фармасьютикалс", "Хелскеа", "Кемикалс"],
    ),
    "medical": (["Healthcare", "Medical"], ["Хелскеа", "Медикал"]),
    "materials": (["Paper", "Packaging", "Steel"], ["Пейпер", "Пэкэджинг", "Стил"]),
    "automotive": (["Tyres", "Automotive Components"], ["Шины", "Аутомотив Компонентс"]),
    "ict": (["Electronics", "Software"], ["Электроникс", "Электроника"]),
}
TOWNS_LAT = ["Kaluga", "Elabuga", "St. Petersburg", "Togliatti", "Nizhny Novgorod", "Kazan"]
TOWNS_CYR = [
    "Калуга",
    "Елабуга",
    "Санкт-Петербург",
    "Тольятти",
    "Всеволожск",
    "Набережные Челны",
    "Ульяновск",
]

#: Hard negatives: names of organisations that are *not* any registry group.
#: (name, kind). Kinds: domestic, jv_partner, domestic_foreign_words, other_group.
NEGATIVES: list[tuple[str, str]] = [
    *[
        (n, "domestic")
        for n in [
            "ПАО «КАМАЗ»",
            "Соллерс",
            "ПАО «Соллерс»",
            "АО «Северсталь»",
            "Нижнекамскнефтехим",
            "ПАО «Нижнекамскнефтехим»",
            "ПАО «Татнефть»",
            "ООО «Группа ГАЗ»",
            "ПАО «ГАЗ»",
            "УАЗ",
            "ПАО «Сибур Холдинг»",
            "ПАО «НЛМК»",
            "ОАО «ММК»",
            "ОК РУСАЛ",
            "Госкорпорация «Ростех»",
            "АО «Вертолёты России»",
            "ОДК-Сатурн",
            "АО «Объединённая двигателестроительная корпорация»",
            "КРЭТ",
            "Холдинг «Швабе»",
            "Ростсельмаш",
            "Уралвагонзавод",
            "Концерн «Калашников»",
            "АО «Технодинамика»",
            "Росэлектроника",
            "ОДК-Авиадвигатель",
            "ПАО «Сбербанк»",
            "Банк ВТБ",
            "ПАО «Газпром»",
            "ПАО «НК «Роснефть»",
            "ПАО «ЛУКОЙЛ»",
            "ПАО «ФосАгро»",
            "ПАО «Акрон»",
            "ПАО «Уралкалий»",
            "ЗАО «Биокад»",
            "Фармстандарт",
            "ООО «Герофарм»",
            "АО «Р-Фарм»",
            "Промомед",
            "НПО «Петровакс Фарм»",
            "ООО «Полисан»",
            "ООО «Нанолек»",
            "ЗАО «Медсинтез»",
            "ООО «Ниармедик Плюс»",
            "ЗАО «Валента Фарм»",
            "Химрар",
            "ООО «Яндекс»",
            "АО «Лаборатория Касперского»",
            "Фирма «1С»",
            "ПАО «Микрон»",
            "АО «Ангстрем»",
            "АО «ЛАНИТ»",
            "Ростелеком",
            "АО «Авиастар-СП»",
            "ПАО «ОАК»",
            "ПАО «Туполев»",
            "ПАО «Корпорация ВСМПО-АВИСМА»",
            "ПАО «Силовые машины»",
            "ОМК",
            "Трубная металлургическая компания",
            "ПАО «Казаньоргсинтез»",
            "Татнефть-Нефтехим",
            "ПАО «Нефтекамский автозавод»",
            "Автодизель (ЯМЗ)",
            "ПАО «Автодизель»",
            "АО «Ижавто»",
            "ООО «ПК Транспортные системы»",
            "Казанский вертолётный завод",
            "ПАО «Протон-ПМ»",
            "АО «Калужский турбинный завод»",
            "Калужский электромеханический завод",
            "Обнинское НПП «Технология»",
        ]
    ],
    *[
        (n, "jv_partner")
        for n in [
            "Sollers",
            "KAMAZ",
            "Северсталь-авто",
            "ГК «Автотор»",
            "Автотор",
            "ООО «Соллерс-Елабуга»",
            "ЗАО «Соллерс-Исузу»",
            "ПАО «КАМАЗ» Набережные Челны",
            "АО «Синара»",
            "Уральские локомотивы",
            "ООО «Группа Синара»",
            "Роснано",
            "АО «РОСНАНО»",
            "ГК «Росатом»",
            "АФК «Система»",
            "ООО «Ростех-Авто»",
        ]
    ],
    *[
        (n, "domestic_foreign_words")
        for n in [
            "ООО «Евроцемент груп»",
            "ТехноНИКОЛЬ",
            "ООО «Интер РАО»",
            "АО «Трансмашхолдинг»",
            "ООО «Русагро Групп»",
            "ПАО «РусГидро»",
            "ООО «Медтехника Рус»",
            "Ай-Теко",
            "ООО «Софтлайн Трейд»",
            "ООО «Юнимилк»",
            "Вимм-Билль-Данн",
            "ООО «ЕвроХим Трейдинг Рус»",
            "ООО «Металлоинвест Холдинг»",
            "Русская Медная Компания",
            "ООО «Ситроникс»",
            "ООО «Техносерв»",
            "ООО «Крок Инкорпорейтед»",
            "ООО «Фарм Эксперт Рус»",
            "ООО «Алабуга Моторс»",
            "ООО «Кама Трейдинг»",
            "ООО «Волга Моторс Групп»",
            "ООО «Нева Фарма»",
            "ООО «Калуга Автомотив Системс»",
            "ООО «Гранд Моторс»",
            "ООО «Восток Холдинг»",
            "ООО «Мега Трейдинг Рус»",
            "ООО «Фармасинтез»",
            "Тойота Центр Казань",
            "ООО «Форд-Сервис»",
            "Ниссан Сервис Восток",
            "ООО «Ниссан Центр Восток» (дилер)",
        ]
    ],
    *[
        # generic words beside a word that resembles a registry brand, and a
        # brand's dealers and service centres (a dealer is not an affiliate:
        # it is an independent firm that sells the brand)
        (n, "generic_lookalike")
        for n in [
            "Континент Технологии",
            "ООО «Континент Инжиниринг»",
            "Магнат Завод",
            "ООО «Магнит Логистика»",
            "ООО «Лира Технолоджис»",
            "Форт Системс",
            "ООО «Фортуна Инжиниринг»",
            "ООО «Стадия Продакшн»",
            "Данфор Инжиниринг",
            "ООО «Мондиаль Логистик»",
            "Ново Технологии",
            "ООО «Новатор Решения»",
            "Дженерал Технолоджис",
            "General Solutions",
            "ООО «Дженерал Инжиниринг»",
            "ООО «Эр Технолоджис»",
            "Air Systems Engineering",
            "ООО «Джонсон Технолоджис»",
            "ООО «Лирика Продакшн»",
            "ООО «Тевис Маркетинг»",
            "ООО «Такт Инжиниринг»",
            "ООО «Ниссо Кемикалс»",
            "ООО «Сименс-Сервис Центр Урал»",
            "Киа Центр Ярославль",
            "ООО «Хендэ Сервис Центр»",
            "ООО «БМВ Автосервис Север»",
            "Вольво Центр Тверь",
            "ООО «Рено Автоцентр Юг»",
            "ООО «Технологии Завод»",
            "Engineering Solutions Rus",
            "ООО «Инновационные Системы Производство»",
            "ООО «Завод Компонентс»",
            "ООО «Магна-Стройтехнологии»",
            "ООО «Кастам Технолоджис»",
        ]
    ],
    *[
        (n, "other_group")
        for n in [
            "General Electric",
            "ООО «Дженерал Электрик Интернешнл»",
            "Toyota Tsusho",
            "Тойота Цусё Рус",
            "Mitsubishi Electric",
            "Мицубиси Электрик",
            "Mitsubishi Corporation",
            "Mitsubishi Heavy Industries",
            "Sumitomo Corporation",
            "Sumitomo Electric",
            "Hyundai Heavy Industries",
            "Volvo Cars",
            "Вольво Карс",
            "Nissan Chemical",
            "Ford Foundation",
            "Johnson Controls",
            "Джонсон Контролс",
            "Continental Airlines",
            "Linde Material Handling",
            "Air France",
            "Air China",
            "Schneider National",
            "Bosch",
            "ООО «Бош Пауэр Тулз»",
            "Honda",
            "Хонда Мотор Рус",
            "Mazda Sollers",
            "Мазда Соллерс Мануфэкчуринг Рус",
            "Isuzu",
            "Sanofi",
            "Санофи Россия",
            "Bayer",
            "Байер",
            "Novo Holdings",
            "Astra Tech",
            "Teva Naot",
            "Magnit",
            "ПАО «Магнит»",
            "Microchip Technology",
            "Cisco Pharma",
            "Mondelez",
            "Мондэлис Русь",
            "Renault Sport Racing",
            "Daimler Truck North America",
            "Fuchs Verlag",
        ]
    ],
]

#: The decision on group boundaries the negatives encode (benchmarks/README.md):
#: a registry group is one corporate group (its consolidated subsidiaries);
#: a separately listed firm that only shares the brand (Toyota Tsusho,
#: Mitsubishi Electric, Volvo Cars since 2010 of Geely) is another group.


def _typo(rng: random.Random, word: str) -> str:
    letters = [i for i, c in enumerate(word) if c.isalpha()]
    if len(letters) < 6:
        return word
    i = rng.choice(letters[1:-1])
    op = rng.choice(["swap", "drop", "double", "sub"])
    if op == "swap" and i + 1 < len(word) and word[i + 1].isalpha():
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op == "drop":
        return word[:i] + word[i + 1 :]
    if op == "double":
        return word[:i] + word[i] + word[i:]
    cyr = "абвгдежзиклмнопрстуфхцчшэюя"
    pool = cyr if word[i].lower() in cyr else "abcdefghiklmnoprstuvz"
    sub = rng.choice([c for c in pool if c != word[i].lower()])
    return word[:i] + (sub.upper() if word[i].isupper() else sub) + word[i + 1 :]


def variants(rng: random.Random, mne_id: str, industry: str) -> list[tuple[str, str, str]]:
    """(name, variant_type, script) for one group of the registry's ``industry``."""
    lat, cyr = BRANDS[mne_id]
    forms = [(lat, "latin"), (cyr, "cyrillic")]
    forms += [
        (o, "cyrillic" if any("а" <= c.lower() <= "я" for c in o) else "latin")
        for o in OTHER_SPELLINGS.get(mne_id, [])
    ]
    out: list[tuple[str, str, str]] = []
    for brand, script in forms:
        lat_d, cyr_d = INDUSTRY_DESCRIPTORS.get(industry, ([], []))
        desc = DESCRIPTORS_CYR + cyr_d if script == "cyrillic" else DESCRIPTORS_LAT + lat_d
        towns = TOWNS_CYR if script == "cyrillic" else TOWNS_LAT
        out.append((rng.choice(LEGAL_BEFORE).format(brand), "legal_before", script))
        out.append((rng.choice(LEGAL_AFTER).format(brand), "legal_after", script))
        out.append((f"{brand} {rng.choice(desc)}", "descriptor", script))
        if brand in (lat, cyr):
            out.append((f"{brand} {rng.choice(towns)}", "town", script))
            typo = _typo(rng, brand)
            if typo != brand:
                out.append((typo, "typo", script))
            out.append(
                (
                    f"{rng.choice(LEGAL_BEFORE).format(brand + ' ' + rng.choice(desc))} "
                    f"{rng.choice(towns)}",
                    "combo",
                    script,
                )
            )
            lat_g, cyr_g = GENERIC_INDUSTRY.get(industry, ([], []))
            generic = GENERIC_CYR + cyr_g if script == "cyrillic" else GENERIC_LAT + lat_g
            words = rng.sample(generic, 2)
            out.append((f"{brand} {words[0]}", "generic_extra", script))
            rus = " Рус" if script == "cyrillic" else " Rus"
            two = rng.choice(
                [
                    f"{brand} {words[0]} {words[1]}",  # two generic words
                    rng.choice(LEGAL_BEFORE).format(f"{brand} {words[1]}"),  # legal form
                    rng.choice(LEGAL_BEFORE).format(f"{brand}{rus} {words[1]}"),  # + Rus
                ]
            )
            out.append((two, "generic_extra", script))
    words = lat.split()
    if len(words) == 2 and "&" not in lat:
        out.append((f"{words[1]} {words[0]}", "word_order", "latin"))
    else:
        out.append((f"{rng.choice(DESCRIPTORS_CYR[:4])} {cyr}", "word_order", "cyrillic"))
    out.append((rng.choice(LEGAL_AFTER).format(lat).upper(), "case", "latin"))
    return out


#: Joint-venture and subsidiary names that carry the group's brand beside a
#: Russian partner's (each is the group's, as the partner is not foreign).
JOINT_VENTURES: list[tuple[str, str]] = [
    ("Форд Соллерс", "ford"),
    ("ООО «Форд Соллерс Елабуга»", "ford"),
    ("Ford Sollers Elabuga", "ford"),
    ("Соллерс-Форд", "ford"),
    ("Daimler KAMAZ Rus", "daimler"),
    ("ООО «Даймлер КАМАЗ Рус»", "daimler"),
    ("Камминз КАМА", "cummins"),
    ("Gestamp Severstal Kaluga", "gestamp"),
    ("Джи Эм-АвтоВАЗ", "general-motors"),
    ("Монди Сыктывкар", "mondi"),
]


def build() -> list[dict[str, str]]:
    rng = random.Random(12)
    with REGISTRY.open(encoding="utf-8") as fh:
        industry = {r["mne_id"]: r["industry"] for r in csv.DictReader(fh)}
    rows: list[dict[str, str]] = []
    for mne_id in BRANDS:
        for name, kind, script in variants(rng, mne_id, industry[mne_id]):
            rows.append(
                {
                    "name": name,
                    "expected_mne_id": mne_id,
                    "variant_type": kind,
                    "script": script,
                    "origin": "constructed: brand + rule",
                }
            )
    for name, mne_id in JOINT_VENTURES:
        rows.append(
            {
                "name": name,
                "expected_mne_id": mne_id,
                "variant_type": "joint_venture",
                "script": "cyrillic" if any("а" <= c.lower() <= "я" for c in name) else "latin",
                "origin": "constructed: joint-venture name",
            }
        )
    for name, kind in NEGATIVES:
        rows.append(
            {
                "name": name,
                "expected_mne_id": "",
                "variant_type": f"negative_{kind}",
                "script": "cyrillic" if any("а" <= c.lower() <= "я" for c in name) else "latin",
                "origin": "constructed: hard negative",
            }
        )
    seen: set[str] = set()
    unique = []
    for r in rows:
        if r["name"] not in seen:
            seen.add(r["name"])
            unique.append(r)
    return unique


def main() -> None:
    rows = build()
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    pos = sum(1 for r in rows if r["expected_mne_id"])
    print(
        f"{OUT.name}: {len(rows)} names, {pos} variants of registry groups, "
        f"{len(rows) - pos} negatives"
    )


if __name__ == "__main__":
    main()
