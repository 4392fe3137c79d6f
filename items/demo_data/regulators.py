"""Regulators: the pools a landscape is drawn from, their parents, and who enforces most.

The pools are national and foreign authorities (listed), and provincial, municipal and
district bodies (built from templates over the provinces and cities). A few regulators do
most of the enforcement: enforcers are drawn by a Zipf law over a ranking.
"""

from django.utils.text import slugify

from regulators.models import Regulator

from .draws import zipf_cum_weights
from .vocabulary import CITIES, DEMO_PREFIX, PROVINCE_BY_CODE, PROVINCES

MUNICIPALITY_DISTRICTS = {
    "BJ": [("Haidian District", "海淀区"), ("Chaoyang District", "朝阳区"), ("Dongcheng District", "东城区"),
           ("Xicheng District", "西城区"), ("Fengtai District", "丰台区"), ("Shunyi District", "顺义区")],
    "SH": [("Pudong New Area", "浦东新区"), ("Xuhui District", "徐汇区"), ("Jing'an District", "静安区"),
           ("Huangpu District", "黄浦区"), ("Minhang District", "闵行区"), ("Changning District", "长宁区")],
    "TJ": [("Heping District", "和平区"), ("Nankai District", "南开区")],
    "CQ": [("Yuzhong District", "渝中区"), ("Jiangbei District", "江北区")],
}  # fmt: skip

# key, name, Chinese name, abbreviation, kind, parent key, website, enforcement category
NATIONAL_REGULATORS = [
    ("cac", "Cyberspace Administration of China", "国家互联网信息办公室", "CAC", "agency", None,
     "https://www.cac.gov.cn/", "cac"),
    ("miit", "Ministry of Industry and Information Technology", "工业和信息化部", "MIIT", "agency", None,
     "https://www.miit.gov.cn/", "telecom"),
    ("samr", "State Administration for Market Regulation", "国家市场监督管理总局", "SAMR", "agency", None,
     "https://www.samr.gov.cn/", "amr"),
    ("mps", "Ministry of Public Security", "公安部", "MPS", "agency", None, "https://www.mps.gov.cn/", "police"),
    ("spc", "Supreme People's Court", "最高人民法院", "SPC", "court", None, "https://www.court.gov.cn/", "court"),
    ("npcsc", "Standing Committee of the National People's Congress", "全国人民代表大会常务委员会", "NPCSC",
     "legislature", None, "http://www.npc.gov.cn/", None),
    ("tc260", "National Cybersecurity Standardization Technical Committee", "全国网络安全标准化技术委员会", "TC260",
     "standards_body", None, "https://www.tc260.org.cn/", None),
    ("state-council", "State Council", "国务院", "", "agency", None, "https://www.gov.cn/", None),
    ("spp", "Supreme People's Procuratorate", "最高人民检察院", "SPP", "procuratorate", None,
     "https://www.spp.gov.cn/", "procuratorate"),
    ("cverc", "National Computer Virus Emergency Response Center", "国家计算机病毒应急处理中心", "CVERC", "other",
     None, "https://www.cverc.org.cn/", "monitor"),
    ("pboc", "People's Bank of China", "中国人民银行", "PBOC", "agency", None, "http://www.pbc.gov.cn/", "finance"),
    ("nfra", "National Financial Regulatory Administration", "国家金融监督管理总局", "NFRA", "agency", None,
     "https://www.nfra.gov.cn/", "finance"),
    ("miit-cybersecurity-bureau", "Cybersecurity Administration Bureau of the Ministry of Industry and Information "
     "Technology", "工业和信息化部网络安全管理局", "", "agency", "miit", "https://www.miit.gov.cn/", "telecom"),
    ("caict", "China Academy of Information and Communications Technology", "中国信息通信研究院", "CAICT", "other",
     None, "http://www.caict.ac.cn/", "monitor"),
    ("csac", "Cyber Security Association of China", "中国网络空间安全协会", "CSAC", "industry_body", None,
     "https://www.cybersac.cn/", "consumer"),
    ("csrc", "China Securities Regulatory Commission", "中国证券监督管理委员会", "CSRC", "agency", None,
     "http://www.csrc.gov.cn/", "finance"),
    ("nhc", "National Health Commission", "国家卫生健康委员会", "NHC", "agency", None, "http://www.nhc.gov.cn/",
     "sector"),
    ("mot", "Ministry of Transport", "交通运输部", "MOT", "agency", None, "https://www.mot.gov.cn/", "sector"),
    ("moe", "Ministry of Education", "教育部", "MOE", "agency", None, "http://www.moe.gov.cn/", "sector"),
    ("mps-cybersecurity-bureau", "Cybersecurity Bureau of the Ministry of Public Security", "公安部网络安全保卫局",
     "", "agency", "mps", "https://www.mps.gov.cn/", "police"),
    ("spb", "State Post Bureau", "国家邮政局", "SPB", "agency", None, "https://www.spb.gov.cn/", "sector"),
    ("nda", "National Data Administration", "国家数据局", "NDA", "agency", None, "https://www.nda.gov.cn/", "sector"),
    ("mofcom", "Ministry of Commerce", "商务部", "MOFCOM", "agency", None, "http://www.mofcom.gov.cn/", "sector"),
    ("ndrc", "National Development and Reform Commission", "国家发展和改革委员会", "NDRC", "agency", None,
     "https://www.ndrc.gov.cn/", "sector"),
    ("nrta", "National Radio and Television Administration", "国家广播电视总局", "NRTA", "agency", None,
     "http://www.nrta.gov.cn/", "sector"),
    ("cpc-central-committee", "Central Committee of the Communist Party of China", "中国共产党中央委员会", "",
     "other", None, "", None),
]  # fmt: skip

# key, name, Chinese name, abbreviation, kind, jurisdiction, level, website, enforcement category
FOREIGN_REGULATORS = [
    ("ie-dpc", "Data Protection Commission (Ireland)", "爱尔兰数据保护委员会", "DPC", "agency", "IE", "national",
     "https://www.dataprotection.ie/", "dpa"),
    ("fr-cnil", "Commission nationale de l'informatique et des libertés", "法国国家信息与自由委员会", "CNIL",
     "agency", "FR", "national", "https://www.cnil.fr/", "dpa"),
    ("us-ftc", "Federal Trade Commission", "美国联邦贸易委员会", "FTC", "agency", "US", "national",
     "https://www.ftc.gov/", "us"),
    ("uk-ico", "Information Commissioner's Office", "英国信息专员办公室", "ICO", "agency", "GB", "national",
     "https://ico.org.uk/", "dpa"),
    ("de-bfdi", "Federal Commissioner for Data Protection and Freedom of Information", "德国联邦数据保护与信息自由专员",
     "BfDI", "agency", "DE", "national", "https://www.bfdi.bund.de/", "dpa"),
    ("edpb", "European Data Protection Board", "欧洲数据保护委员会", "EDPB", "agency", "EU", "supranational",
     "https://edpb.europa.eu/", None),
    ("it-garante", "Italian Data Protection Authority", "意大利数据保护局", "Garante", "agency", "IT", "national",
     "https://www.garanteprivacy.it/", "dpa"),
    ("es-aepd", "Spanish Data Protection Agency", "西班牙数据保护局", "AEPD", "agency", "ES", "national",
     "https://www.aepd.es/", "dpa"),
    ("nl-ap", "Dutch Data Protection Authority", "荷兰数据保护局", "AP", "agency", "NL", "national",
     "https://autoriteitpersoonsgegevens.nl/", "dpa"),
    ("european-commission", "European Commission", "欧盟委员会", "", "agency", "EU", "supranational",
     "https://commission.europa.eu/", None),
    ("lu-cnpd", "National Commission for Data Protection (Luxembourg)", "卢森堡国家数据保护委员会", "CNPD", "agency",
     "LU", "national", "https://cnpd.public.lu/", "dpa"),
    ("de-hamburg-dpa", "Hamburg Commissioner for Data Protection and Freedom of Information",
     "汉堡数据保护与信息自由专员", "HmbBfDI", "agency", "DE-HH", "provincial", "https://datenschutz-hamburg.de/",
     "dpa"),
    ("us-cppa", "California Privacy Protection Agency", "加州隐私保护局", "CPPA", "agency", "US-CA", "provincial",
     "https://cppa.ca.gov/", "us-state"),
    ("kr-pipc", "Personal Information Protection Commission (Korea)", "韩国个人信息保护委员会", "PIPC", "agency",
     "KR", "national", "https://www.pipc.go.kr/", "dpa"),
    ("no-datatilsynet", "Norwegian Data Protection Authority", "挪威数据保护局", "Datatilsynet", "agency", "NO",
     "national", "https://www.datatilsynet.no/", "dpa"),
    ("european-parliament", "European Parliament", "欧洲议会", "", "legislature", "EU", "supranational",
     "https://www.europarl.europa.eu/", None),
    ("sg-pdpc", "Personal Data Protection Commission (Singapore)", "新加坡个人数据保护委员会", "PDPC", "agency", "SG",
     "national", "https://www.pdpc.gov.sg/", "dpa"),
    ("us-ca-ag", "Attorney General of California", "加利福尼亚州总检察长", "", "agency", "US-CA", "provincial",
     "https://oag.ca.gov/", "us-state"),
    ("de-bw-dpa", "Baden-Württemberg Commissioner for Data Protection and Freedom of Information",
     "巴登-符腾堡州数据保护与信息自由专员", "LfDI BW", "agency", "DE-BW", "provincial",
     "https://www.baden-wuerttemberg.datenschutz.de/", "dpa"),
    ("jp-ppc", "Personal Information Protection Commission (Japan)", "日本个人信息保护委员会", "PPC", "agency", "JP",
     "national", "https://www.ppc.go.jp/", "dpa"),
    ("us-tx-ag", "Attorney General of Texas", "得克萨斯州总检察长", "", "agency", "US-TX", "provincial",
     "https://www.texasattorneygeneral.gov/", "us-state"),
    ("hk-pcpd", "Privacy Commissioner for Personal Data", "香港个人资料私隐专员公署", "PCPD", "agency", "HK",
     "national", "https://www.pcpd.org.hk/", "dpa"),
    ("us-hhs-ocr", "Office for Civil Rights, Department of Health and Human Services", "美国卫生与公众服务部民权办公室",
     "HHS OCR", "agency", "US", "national", "https://www.hhs.gov/ocr/", "us"),
    ("eu-council", "Council of the European Union", "欧盟理事会", "", "legislature", "EU", "supranational",
     "https://www.consilium.europa.eu/", None),
    ("uk-dsit", "Department for Science, Innovation and Technology", "英国科学、创新和技术部", "DSIT", "agency", "GB",
     "national", "https://www.gov.uk/dsit", None),
]  # fmt: skip

# key, name template, Chinese template, abbreviation template, kind, national parent, category.
# {p}: "Zhejiang"; {adj}: "Zhejiang Provincial"; {zh}: "浙江省".
PROVINCIAL_TYPES = [
    ("cac", "Cyberspace Administration of {place}", "{zh}互联网信息办公室", "{p} CAC", "agency", "cac", "cac"),
    ("ca", "{adj} Communications Administration", "{zh}通信管理局", "{p} CA", "agency", "miit", "telecom"),
    ("amr", "{adj} Administration for Market Regulation", "{zh}市场监督管理局", "{p} AMR", "agency", "samr", "amr"),
    ("psd", "{adj} Public Security Department", "{zh}公安厅", "", "agency", "mps", "police"),
    ("pc", "Standing Committee of the {adj} People's Congress", "{zh}人民代表大会常务委员会", "", "legislature", None,
     None),
    ("cc", "{adj} Consumer Council", "{zh}消费者权益保护委员会", "", "other", None, "consumer"),
    ("hpc", "{p} High People's Court", "{zh}高级人民法院", "", "court", "spc", "court"),
    ("proc", "{adj} People's Procuratorate", "{zh}人民检察院", "", "procuratorate", "spp", "procuratorate"),
]  # fmt: skip
MUNICIPAL_TYPES = [
    ("amr", "{c} Municipal Administration for Market Regulation", "{zh}市场监督管理局", "{c} AMR", "agency", "amr",
     "amr"),
    ("psb", "{c} Public Security Bureau", "{zh}公安局", "{c} PSB", "agency", "psd", "police"),
    ("cac", "{c} Cyberspace Administration", "{zh}互联网信息办公室", "{c} CAC", "agency", "cac", "cac"),
    ("ipc", "{c} Intermediate People's Court", "{zh}中级人民法院", "", "court", "hpc", "court"),
    ("proc", "{c} People's Procuratorate", "{zh}人民检察院", "", "procuratorate", "proc", "procuratorate"),
]  # fmt: skip
DISTRICT_TYPES = [
    ("court", "{c} {d} People's Court", "{zh}{dzh}人民法院", "court", "ipc", "court"),
    ("amr", "{c} {d} Administration for Market Regulation", "{zh}{dzh}市场监督管理局", "agency", "amr", "amr"),
    ("psb", "{c} Public Security Bureau {d} Branch", "{zh}公安局{dzh}分局", "agency", "psb", "police"),
]
ENFORCING_PRIORITY = ["miit", "cac", "samr", "mps", "gd-ca", "zj-ca", "sh-ca", "cverc", "bj-cac", "js-ca"]


class RegulatorSpec:
    """A planned regulator and what the generator knows about it besides its fields."""

    __slots__ = ("obj", "key", "category", "province", "country", "parent_key", "depth")

    def __init__(self, obj, key, category, province, country, parent_keys):
        self.obj, self.key, self.category, self.province, self.country = obj, key, category, province, country
        self.parent_key = parent_keys  # candidates until RegulatorPlan picks the first one chosen
        self.depth = 0


class RegulatorPlan:
    """The regulators chosen (`specs`, `by_key`), and the pools enforcers are drawn from."""

    def __init__(self, rng, wanted):
        national, foreign, provincial, municipal, district = _regulator_pools()
        pool_size = sum(map(len, (national, foreign, provincial, municipal, district)))
        if wanted > pool_size:
            raise ValueError(f"At most {pool_size} regulators can be generated.")
        counts = {"national": min(len(national), max(8, round(0.09 * wanted)), wanted)}
        counts["foreign"] = min(len(foreign), max(2, round(0.12 * wanted)), wanted - counts["national"])
        rest = wanted - counts["national"] - counts["foreign"]
        counts["provincial"] = min(len(provincial), round(0.45 * rest))
        counts["municipal"] = min(len(municipal), round(0.35 * rest))
        counts["district"] = min(len(district), rest - counts["provincial"] - counts["municipal"])
        # Whatever a pool could not give, the others give, largest pools first.
        shortfall = wanted - sum(counts.values())
        for name, pool in (
            ("provincial", provincial),
            ("municipal", municipal),
            ("district", district),
            ("foreign", foreign),
            ("national", national),
        ):
            extra = min(shortfall, len(pool) - counts[name])
            counts[name] += extra
            shortfall -= extra
        chosen = national[: counts["national"]] + foreign[: counts["foreign"]]
        for name, pool in (("provincial", provincial), ("municipal", municipal), ("district", district)):
            chosen += rng.sample(pool, counts[name])

        existing_abbreviations = set(Regulator.objects.exclude(abbreviation="").values_list("abbreviation", flat=True))
        by_key = {spec.key: spec for spec in chosen}
        used_abbreviations = set()
        for spec in chosen:
            abbreviation = spec.obj.abbreviation
            # Abbreviations are unique: one a fixture regulator already uses stays with it.
            if abbreviation in existing_abbreviations or abbreviation in used_abbreviations:
                spec.obj.abbreviation = ""
            used_abbreviations.add(spec.obj.abbreviation)
        for spec in chosen:
            spec.depth = 0
            for parent_key in spec.parent_key or []:
                if parent_key in by_key:
                    spec.obj.parent = by_key[parent_key].obj
                    spec.parent_key = parent_key
                    break
            else:
                spec.parent_key = None
        for spec in chosen:
            depth, key = 0, spec.parent_key
            while key:
                depth += 1
                key = by_key[key].parent_key
            spec.depth = depth
        self.specs = chosen
        self.by_key = by_key

        # A few regulators do most enforcement: a Zipf law over a ranking that starts with the
        # national telecoms and cyberspace regulators and favours higher levels.
        enforcers = [spec for spec in chosen if spec.category]
        level_factor = {"national": 0.3, "supranational": 0.5, "provincial": 0.6, "municipal": 1.0}
        priority = {key: index for index, key in enumerate(ENFORCING_PRIORITY)}
        ranked = sorted(
            enforcers,
            key=lambda spec: (
                priority.get(spec.key, len(priority)),
                rng.random() * level_factor[spec.obj.level],
            ),
        )
        # Courts share their cases more evenly, and basic and intermediate courts hear most of
        # them; abroad the best-known authorities (listed first) lead.
        court_factor = {"national": 3.0, "provincial": 1.5, "municipal": 1.0}
        courts = sorted(
            (s for s in enforcers if s.country == "CN" and s.category in ("court", "procuratorate")),
            key=lambda spec: rng.random() * court_factor[spec.obj.level],
        )
        self.enforcer_pools = {
            "domestic": _zipf_pool(
                [s for s in ranked if s.country == "CN" and s.category not in ("court", "procuratorate")], 1.1
            ),
            "court": _zipf_pool(courts, 0.8),
            "foreign": _zipf_pool([s for s in enforcers if s.country != "CN"], 1.0),
            "monitor": _zipf_pool([s for s in ranked if s.category in ("monitor", "consumer")], 1.0),
        }

    def pick_enforcer(self, rng, pool_name):
        pool, cum = self.enforcer_pools[pool_name]
        if not pool:
            for fallback in ("domestic", "foreign", "court", "monitor"):
                pool, cum = self.enforcer_pools[fallback]
                if pool:
                    break
        return rng.choices(pool, cum_weights=cum)[0]


def _zipf_pool(pool, exponent):
    return pool, zipf_cum_weights(len(pool), exponent)


def _regulator_pools():
    """Every regulator that can be generated: national, foreign, provincial, municipal, district."""

    def make(key, name, name_zh, abbreviation, kind, jurisdiction, level, parents, website, category, province=None):
        obj = Regulator(
            name=name,
            name_zh=name_zh,
            abbreviation=abbreviation,
            slug=DEMO_PREFIX + key,
            kind=kind,
            jurisdiction=jurisdiction,
            level=level,
            website=website,
            description=f"Demo data: a generated {Regulator.Level(level).label} {Regulator.Kind(kind).label}.",
        )
        return RegulatorSpec(obj, key, category, province, jurisdiction.split("-")[0], parents)

    national = [
        make(key, name, zh, abbreviation, kind, "CN", "national", [parent] if parent else None, website, category)
        for key, name, zh, abbreviation, kind, parent, website, category in NATIONAL_REGULATORS
    ]
    foreign = [
        make(key, name, zh, abbreviation, kind, jurisdiction, level, None, website, category)
        for key, name, zh, abbreviation, kind, jurisdiction, level, website, category in FOREIGN_REGULATORS
    ]
    provincial = []
    for code, place_name, place_zh, adjective in PROVINCES:
        adj = f"{place_name} {adjective}"
        place = f"{place_name} Province" if adjective == "Provincial" else place_name
        prefix = code.lower()
        for key, name, zh, abbr, kind, parent, category in PROVINCIAL_TYPES:
            provincial.append(
                make(
                    f"{prefix}-{key}",
                    name.format(place=place, adj=adj, p=place_name),
                    zh.format(zh=place_zh),
                    abbr.format(p=place_name),
                    kind,
                    f"CN-{code}",
                    "provincial",
                    [parent] if parent else None,
                    f"https://www.{prefix}{key}.gov.cn/",
                    category,
                    province=code,
                )
            )
    municipal, district = [], []
    for city, city_zh, code, districts in CITIES:
        city_key = slugify(city)
        for key, name, zh, abbr, kind, parent, category in MUNICIPAL_TYPES:
            parent_national = {"amr": "samr", "psd": "mps", "cac": "cac", "hpc": "spc", "proc": "spp"}[parent]
            municipal.append(
                make(
                    f"{city_key}-{key}",
                    name.format(c=city),
                    zh.format(zh=city_zh),
                    abbr.format(c=city),
                    kind,
                    f"CN-{code}",
                    "municipal",
                    [f"{code.lower()}-{parent}", parent_national],
                    f"https://www.{city_key}{key}.gov.cn/",
                    category,
                    province=code,
                )
            )
        district += _district_specs(make, city, city_zh, city_key, code, districts, municipal_city=True)
    for code, districts in MUNICIPALITY_DISTRICTS.items():
        city, city_zh, _adj = PROVINCE_BY_CODE[code]
        district += _district_specs(make, city, city_zh, code.lower(), code, districts, municipal_city=False)
    return national, foreign, provincial, municipal, district


def _district_specs(make, city, city_zh, city_key, code, districts, municipal_city):
    specs = []
    parent_prefix = city_key if municipal_city else code.lower()
    for district_name, district_zh in districts:
        district_key = slugify(district_name.replace(" District", "").replace(" New Area", ""))
        for key, name, zh, kind, parent, category in DISTRICT_TYPES:
            # Under a municipality the parent is the municipality's own (provincial-level) body.
            parent_key = parent if municipal_city else {"ipc": "hpc", "amr": "amr", "psb": "psd"}[parent]
            national_parent = {"ipc": "spc", "amr": "samr", "psb": "mps"}[parent]
            specs.append(
                make(
                    f"{city_key}-{district_key}-{key}",
                    name.format(c=city, d=district_name),
                    zh.format(zh=city_zh, dzh=district_zh),
                    "",
                    kind,
                    f"CN-{code}",
                    "municipal",
                    [f"{parent_prefix}-{parent_key}", national_parent],
                    "",
                    category,
                    province=code,
                )
            )
    return specs


def write_regulators(writer, plan):
    """Parents first: one bulk insert per depth."""
    for depth in range(max((spec.depth for spec in plan.specs), default=-1) + 1):
        batch = [spec.obj for spec in plan.specs if spec.depth == depth]
        writer.bulk(Regulator, batch)
        writer.history(Regulator, batch)
        writer.advance("regulators", len(batch))
