"""Organisations: Chinese companies and groups by city and sector, foreign ones by country.

Repeat offenders are drawn by a Zipf law, and local regulators prefer local companies.
"""

from items.models import Organisation

from .draws import weighted, zipf_cum_weights
from .vocabulary import CITIES, MUNICIPALITIES, PROVINCE_BY_CODE, unique_slug

# Organisations: brand syllables (pinyin, hanzi) and what each sector's companies call themselves.
SYLLABLES = [("Xin", "新"), ("Rui", "瑞"), ("Hua", "华"), ("Tian", "天"), ("Yun", "云"), ("Zhi", "智"), ("Jia", "佳"),
             ("Bo", "博"), ("Kang", "康"), ("Le", "乐"), ("Qi", "启"), ("Ming", "明"), ("Feng", "丰"), ("Hai", "海"),
             ("Sheng", "盛"), ("Chuang", "创"), ("Yi", "易"), ("Xun", "迅"), ("Da", "达"), ("Heng", "恒"),
             ("Tong", "通"), ("Lian", "联"), ("Hong", "鸿"), ("Jun", "骏"), ("Wei", "维"), ("Shu", "数"),
             ("Yuan", "远"), ("Teng", "腾"), ("Ding", "鼎"), ("Xing", "星"), ("Lan", "蓝"), ("Kai", "凯")]  # fmt: skip
SECTOR_STYLES = {
    "apps": ("Network Technology", "网络科技"), "internet": ("Information Technology", "信息技术"),
    "ecommerce": ("E-commerce", "电子商务"), "social_media": ("Culture Media", "文化传媒"),
    "finance": ("Financial Services", "金融服务"), "banking": ("Rural Commercial Bank", "农村商业银行"),
    "insurance": ("Property Insurance", "财产保险"), "telecoms": ("Communication Technology", "通信技术"),
    "automotive": ("Automotive Technology", "汽车科技"), "healthcare": ("Health Technology", "健康科技"),
    "education": ("Education Technology", "教育科技"), "real_estate": ("Real Estate Development", "房地产开发"),
    "retail": ("Commerce and Trade", "商贸"), "travel": ("Travel Services", "旅行服务"),
    "gaming": ("Interactive Entertainment", "互动娱乐"), "technology": ("Intelligent Technology", "智能科技"),
    "other": ("Industrial", "实业"),
}  # fmt: skip
SECTOR_WEIGHTS = {"apps": 18, "internet": 14, "ecommerce": 10, "social_media": 6, "finance": 8, "banking": 5,
                  "insurance": 4, "telecoms": 4, "automotive": 5, "healthcare": 6, "education": 5, "real_estate": 5,
                  "retail": 5, "travel": 4, "gaming": 4, "technology": 8, "other": 3}  # fmt: skip
FOREIGN_BRAND_HEADS = ["Blue", "Bright", "Clear", "North", "Silver", "Open", "Swift", "True", "Nova", "Peak",
                       "Maple", "Quill", "Harbor", "Lumen", "Vertex", "Echo"]  # fmt: skip
FOREIGN_BRAND_TAILS = ["loop", "wave", "path", "stack", "beam", "leaf", "gate", "mint", "field", "byte", "spark",
                       "nest", "grid", "shore"]  # fmt: skip
FOREIGN_COUNTRIES = [("US", "Inc.", 40), ("IE", "Ireland Limited", 15), ("GB", "UK Ltd", 12), ("DE", "GmbH", 10),
                     ("FR", "SAS", 8), ("NL", "B.V.", 5), ("KR", "Co., Ltd.", 5), ("SG", "Pte. Ltd.", 5)]  # fmt: skip
FOREIGN_COUNTRY_WEIGHTS = {country: weight for country, _suffix, weight in FOREIGN_COUNTRIES}
FOREIGN_SUFFIXES = {country: suffix for country, suffix, _weight in FOREIGN_COUNTRIES}


class OrganisationSpec:
    """A planned organisation, its brand, sector and province, and its full Chinese name."""

    __slots__ = ("obj", "brand", "brand_zh", "sector", "province", "country", "full_name_zh", "depth")

    def __init__(self, obj, brand, brand_zh, sector, province, country, full_name_zh, depth):
        self.obj, self.brand, self.brand_zh, self.sector = obj, brand, brand_zh, sector
        self.province, self.country, self.full_name_zh, self.depth = province, country, full_name_zh, depth

    @property
    def name_zh(self):
        return self.full_name_zh or self.obj.name


class OrganisationPlan:
    """The organisations chosen (`specs`), and the pools targets are drawn from."""

    def __init__(self, rng, wanted):
        taken_names, taken_slugs = set(), set()
        cn_cities = [(city, zh, code) for city, zh, code, _d in CITIES] + [
            (PROVINCE_BY_CODE[code][0], PROVINCE_BY_CODE[code][1], code) for code in sorted(MUNICIPALITIES)
        ]
        brands = [(a + b.lower(), az + bz) for a, az in SYLLABLES for b, bz in SYLLABLES if a != b]
        foreign_brands = [head + tail for head in FOREIGN_BRAND_HEADS for tail in FOREIGN_BRAND_TAILS]
        specs = []
        groups = {"CN": [], "foreign": []}
        attempts = 0
        while len(specs) < wanted:
            attempts += 1
            if attempts > wanted * 50:
                raise ValueError(f"Could not find {wanted} distinct organisation names.")
            side = "foreign" if rng.random() < 0.15 else "CN"
            sector = weighted(rng, SECTOR_WEIGHTS)
            is_group = rng.random() < 0.06
            parent = rng.choice(groups[side]) if not is_group and groups[side] and rng.random() < 0.3 else None
            if side == "foreign":
                province, name_zh = None, ""
                brand, brand_zh = (parent.brand, "") if parent else (rng.choice(foreign_brands), "")
                if is_group:
                    name, country = f"{brand} Holdings, Inc.", "US"
                else:
                    country = weighted(rng, FOREIGN_COUNTRY_WEIGHTS)
                    name = f"{brand} {FOREIGN_SUFFIXES[country]}"
            else:
                city, city_zh, province = rng.choice(cn_cities)
                brand, brand_zh = (parent.brand, parent.brand_zh) if parent else rng.choice(brands)
                style, style_zh = SECTOR_STYLES[sector]
                company_zh = "股份有限公司" if sector == "banking" else "有限公司"
                if is_group:
                    name, name_zh = f"{brand} Group Co., Ltd.", f"{brand_zh}集团有限公司"
                else:
                    name, name_zh = f"{city} {brand} {style} Co., Ltd.", f"{city_zh}{brand_zh}{style_zh}{company_zh}"
                country = "CN"
            if name in taken_names:
                continue
            taken_names.add(name)
            obj = Organisation(
                name=name,
                name_zh=name_zh if rng.random() < 0.7 else "",
                slug=unique_slug(name, taken_slugs),
                country=country,
                parent=parent.obj if parent else None,
            )
            spec = OrganisationSpec(obj, brand, brand_zh, sector, province, country, name_zh, 1 if parent else 0)
            if is_group:
                groups[side].append(spec)
            specs.append(spec)
        self.specs = specs
        # Repeat offenders: a Zipf law over a shuffled order; local regulators prefer local companies.
        order = specs[:]
        rng.shuffle(order)
        self.pools = {
            "CN": [s for s in order if s.country == "CN"],
            "foreign": [s for s in order if s.country != "CN"],
        }
        self.pools_by_province = {}
        for spec in self.pools["CN"]:
            self.pools_by_province.setdefault(spec.province, []).append(spec)
        self.pools_by_country = {}
        for spec in self.pools["foreign"]:
            self.pools_by_country.setdefault(spec.country, []).append(spec)
        self.cum = {key: zipf_cum_weights(len(pool), 0.8) for key, pool in self.pools.items()}
        self.cum_by_country = {key: zipf_cum_weights(len(pool), 0.8) for key, pool in self.pools_by_country.items()}
        self.cum_by_province = {key: zipf_cum_weights(len(pool), 0.8) for key, pool in self.pools_by_province.items()}

    def pick(self, rng, regulator, foreign):
        if foreign and regulator.country in self.pools_by_country and rng.random() < 0.6:
            pool = self.pools_by_country[regulator.country]
            cum = self.cum_by_country[regulator.country]
        elif foreign:
            pool, cum = self.pools["foreign"], self.cum["foreign"]
        elif regulator.province and regulator.province in self.pools_by_province and rng.random() < 0.8:
            pool = self.pools_by_province[regulator.province]
            cum = self.cum_by_province[regulator.province]
        else:
            pool, cum = self.pools["CN"], self.cum["CN"]
        if not pool:
            return None
        return rng.choices(pool, cum_weights=cum)[0]


def write_organisations(writer, plan):
    """Groups first, then their members."""
    for depth in (0, 1):
        batch = [spec.obj for spec in plan.specs if spec.depth == depth]
        writer.bulk(Organisation, batch)
        writer.history(Organisation, batch)
        writer.advance("organisations", len(batch))
