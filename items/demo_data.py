"""Realistic demo data at scale, for development, demonstrations and the benchmark.

`DemoDataGenerator` plans a whole landscape in memory from one seed (regulators with parents,
organisations with groups, instruments at every status, issues, news items in two languages,
sources with footnotes and enforcement actions), then writes it with bulk inserts.

Everything generated is marked so that `clear_demo_data()` finds it again: regulators,
instruments, organisations and series have slugs starting with ``demo-``; issues belong to a
``demo-`` series, items and sources to those issues, and actions are reported by those items.
Topics, violations and sections are the shared vocabulary: they are created when missing,
with the seed fixtures' slugs, and are never removed.

Bulk inserts skip `save()` and signals, so this module does itself what they would do:
bodies are rendered to HTML (sentence templates are rendered once and filled, which gives the
same HTML as `render_markdown` at a fraction of the cost), public ids are numbered per year
in decision-date order and the `PublicIdCounter` rows are moved past them. History
(django-simple-history) is written for every batch by `record_created()`, in one
INSERT … SELECT per history table, with the change reason `HISTORY_REASON`.
"""

import bisect
import datetime
import functools
import math
import random
import re
import time
from collections import Counter
from decimal import Decimal
from string import Formatter

from django.db import connections, router
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from core.bulk_history import in_chunks, purge_history, record_created
from core.content_cache import content_changed, one_change_for_all
from core.dates import DatePrecision
from items.models import (
    PUBLIC_ID_PATTERN,
    EnforcementAction,
    Issue,
    NewsItem,
    Organisation,
    PublicIdCounter,
    Section,
    Series,
    Source,
    Topic,
    Violation,
    format_amount,
)
from items.rendering import render_markdown
from regulators.models import Instrument, Regulator

DEMO_PREFIX = "demo-"
PERIOD_START = datetime.date(2020, 1, 1)
PERIOD_END = datetime.date(2025, 12, 31)
BATCH_SIZE = 5000
HISTORY_REASON = "Generated demo data"
SMALLINT_MAX = 32767

DAY, MONTH, YEAR = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR
ActionType = EnforcementAction.ActionType
Sector = EnforcementAction.Sector

# ---------------------------------------------------------------------------------------------
# Vocabulary. Topic, violation and section slugs are those of the seed fixtures and migration.
# ---------------------------------------------------------------------------------------------

TOPICS = [
    ("ai", "Artificial intelligence", "人工智能"),
    ("algorithms", "Algorithms", "算法"),
    ("apps", "Apps", "应用程序"),
    ("big-data-pricing", "Big-data price discrimination", "大数据杀熟"),
    ("biometrics", "Biometrics", "生物识别"),
    ("consumer-protection", "Consumer protection", "消费者保护"),
    ("critical-infrastructure", "Critical infrastructure", "关键信息基础设施"),
    ("cross-border-transfer", "Cross-border transfer", "数据出境"),
    ("cybersecurity", "Cybersecurity", "网络安全"),
    ("data-security", "Data security", "数据安全"),
    ("digital-economy", "Digital economy", "数字经济"),
    ("employee-data", "Employee data", "员工数据"),
    ("facial-recognition", "Facial recognition", "人脸识别"),
    ("finance", "Finance", "金融"),
    ("gdpr", "GDPR", "GDPR"),
    ("health-data", "Health data", "健康数据"),
    ("intellectual-property", "Intellectual property", "知识产权"),
    ("minors", "Minors", "未成年人"),
    ("personal-information", "Personal information", "个人信息"),
    ("platforms", "Platforms", "平台"),
    ("public-interest-litigation", "Public interest litigation", "公益诉讼"),
    ("standards", "Standards", "标准"),
    ("telecoms", "Telecoms", "电信"),
    ("unfair-competition", "Unfair competition", "不正当竞争"),
    ("vehicles", "Vehicles", "汽车"),
]

# slug, name, weight, headline phrase, body phrase, Chinese phrase, topic it implies
VIOLATIONS = [
    ("excessive-collection", "Excessive collection", 20, "Excessive Collection of Personal Information",
     "collecting personal information beyond what their services need", "超范围收集个人信息", "personal-information"),
    ("no-consent", "No consent", 18, "Processing Personal Information without Consent",
     "processing personal information without the users' consent", "未经同意处理个人信息", "personal-information"),
    ("undisclosed-permissions", "Undisclosed permission requests", 10, "Undisclosed Permission Requests",
     "requesting device permissions without saying why", "未明示申请权限", "apps"),
    ("deceptive-privacy-claims", "Deceptive privacy claims", 5, "Misleading Privacy Claims",
     "making misleading claims about their privacy practices", "隐私声明与实际不符", "consumer-protection"),
    ("illegal-sale-of-data", "Illegal sale of data", 6, "Illegal Sale of Personal Information",
     "selling personal information illegally", "非法出售个人信息", "personal-information"),
    ("inadequate-security-measures", "Inadequate security measures", 10, "Inadequate Security Measures",
     "failing to take adequate security measures", "未履行数据安全保护义务", "data-security"),
    ("lack-of-transparency", "Lack of transparency", 8, "Lack of Transparency",
     "failing to tell users how their data is processed", "未公开收集使用规则", "personal-information"),
    ("no-deletion-function", "No deletion function", 5, "Failure to Offer Account Deletion",
     "offering no way to delete an account", "未提供账号注销功能", "apps"),
    ("no-complaint-channel", "No complaint channel", 4, "Lack of a Complaint Channel",
     "providing no channel for complaints", "未建立投诉举报渠道", "consumer-protection"),
    ("excessive-retention", "Excessive retention", 3, "Excessive Retention of Personal Information",
     "keeping personal information longer than necessary", "超期留存个人信息", "personal-information"),
    ("illegal-data-transfer", "Illegal data transfer", 4, "Unlawful Cross-border Data Transfer",
     "transferring data abroad without the required assessment", "违规向境外提供数据", "cross-border-transfer"),
    ("unauthorised-facial-recognition", "Unauthorised facial recognition", 4, "Unauthorised Use of Facial Recognition",
     "using facial recognition without authorisation", "违规使用人脸识别", "facial-recognition"),
    ("unlawful-disclosure", "Unlawful disclosure of personal information", 6,
     "Unlawful Disclosure of Personal Information", "disclosing personal information unlawfully", "非法提供个人信息",
     "personal-information"),
    ("sharing-without-anonymisation", "Sharing without anonymisation", 3, "Sharing Data without Anonymisation",
     "sharing personal information without anonymisation", "未经匿名化处理共享数据", "data-security"),
    ("no-age-verification", "No age verification", 3, "Failure to Verify Users' Age",
     "failing to verify the age of their users", "未落实未成年人身份验证", "minors"),
    ("deceptive-download", "Deceptive download", 4, "Deceptive Downloads",
     "tricking users into downloading apps", "欺骗误导用户下载", "apps"),
    ("no-personalisation-opt-out", "No opt-out from personalised display", 4,
     "No Opt-out from Personalised Recommendations", "offering no opt-out from personalised recommendations",
     "未提供个性化推荐关闭选项", "algorithms"),
]  # fmt: skip
DEFAULT_VIOLATION = ("Infringing Users' Rights and Interests", "infringing users' rights and interests", "侵害用户权益")

SECTIONS = [
    ("key-highlights", "Key Highlights", "要点速览", 10),
    ("domestic-news", "Domestic News", "国内要闻", 20),
    ("overseas-news", "Overseas News", "海外动态", 30),
    ("our-views", "Our Views", "我们的观点", 40),
    ("regulatory-developments", "Regulatory Developments", "监管动态", 50),
    ("enforcement-developments", "Enforcement Developments", "执法动态", 60),
    ("industry-developments", "Industry Developments", "行业动态", 70),
    ("courts-and-litigation", "Courts and Litigation", "司法诉讼", 80),
]
SECTION_ORDER = {slug: order for slug, _name, _zh, order in SECTIONS}

# slug, name, Chinese name, share of issues, relative size, section weights
SERIES = [
    ("demo-weekly-review", "Demo Weekly Review", "演示周报", 0.60, 1.0,
     {"domestic-news": 50, "overseas-news": 25, "enforcement-developments": 10, "courts-and-litigation": 10,
      "our-views": 5}),
    ("demo-monthly-roundup", "Demo Monthly Round-up", "演示月报", 0.25, 1.6,
     {"regulatory-developments": 30, "enforcement-developments": 35, "courts-and-litigation": 13,
      "industry-developments": 12, "key-highlights": 5, "our-views": 5}),
    ("demo-client-alerts", "Demo Client Alerts", "演示客户快讯", 0.15, 0.4,
     {"domestic-news": 40, "enforcement-developments": 40, "regulatory-developments": 20}),
]  # fmt: skip

# What kind of story an item of each section tells, with weights.
SECTION_KINDS = {
    "enforcement-developments": {"enforcement": 90, "campaign": 10},
    "courts-and-litigation": {"court": 85, "regulation": 15},
    "domestic-news": {"regulation": 50, "enforcement": 35, "industry": 10, "campaign": 5},
    "overseas-news": {"foreign_enforcement": 55, "foreign_regulation": 45},
    "regulatory-developments": {"regulation": 100},
    "industry-developments": {"industry": 100},
    "our-views": {"views": 100},
    "key-highlights": {"regulation": 60, "enforcement": 40},
}
ENFORCEMENT_KINDS = ("enforcement", "court", "foreign_enforcement")
# When there are fewer actions than enforcement stories, the rest tell a story without one.
KIND_WITHOUT_ACTION = {"enforcement": "campaign", "court": "regulation", "foreign_enforcement": "foreign_regulation"}

# Provinces: ISO 3166-2 code, English name, Chinese name, how English calls its institutions.
PROVINCES = [
    ("BJ", "Beijing", "北京市", "Municipal"), ("SH", "Shanghai", "上海市", "Municipal"),
    ("TJ", "Tianjin", "天津市", "Municipal"), ("CQ", "Chongqing", "重庆市", "Municipal"),
    ("GD", "Guangdong", "广东省", "Provincial"), ("ZJ", "Zhejiang", "浙江省", "Provincial"),
    ("JS", "Jiangsu", "江苏省", "Provincial"), ("SD", "Shandong", "山东省", "Provincial"),
    ("SC", "Sichuan", "四川省", "Provincial"), ("HB", "Hubei", "湖北省", "Provincial"),
    ("FJ", "Fujian", "福建省", "Provincial"), ("HA", "Henan", "河南省", "Provincial"),
    ("HN", "Hunan", "湖南省", "Provincial"), ("AH", "Anhui", "安徽省", "Provincial"),
    ("SN", "Shaanxi", "陕西省", "Provincial"), ("HE", "Hebei", "河北省", "Provincial"),
    ("LN", "Liaoning", "辽宁省", "Provincial"), ("JX", "Jiangxi", "江西省", "Provincial"),
    ("YN", "Yunnan", "云南省", "Provincial"), ("GZ", "Guizhou", "贵州省", "Provincial"),
    ("HI", "Hainan", "海南省", "Provincial"), ("SX", "Shanxi", "山西省", "Provincial"),
    ("JL", "Jilin", "吉林省", "Provincial"), ("HL", "Heilongjiang", "黑龙江省", "Provincial"),
    ("GS", "Gansu", "甘肃省", "Provincial"), ("QH", "Qinghai", "青海省", "Provincial"),
    ("GX", "Guangxi", "广西壮族自治区", "Autonomous Region"),
    ("NM", "Inner Mongolia", "内蒙古自治区", "Autonomous Region"),
    ("NX", "Ningxia", "宁夏回族自治区", "Autonomous Region"),
    ("XJ", "Xinjiang", "新疆维吾尔自治区", "Autonomous Region"),
    ("XZ", "Tibet", "西藏自治区", "Autonomous Region"),
]  # fmt: skip
PROVINCE_BY_CODE = {code: (name, zh, adj) for code, name, zh, adj in PROVINCES}
MUNICIPALITIES = {"BJ", "SH", "TJ", "CQ"}

# Cities below provincial level: English, Chinese, province, two of their districts.
CITIES = [
    ("Hangzhou", "杭州市", "ZJ", [("Xihu District", "西湖区"), ("Binjiang District", "滨江区")]),
    ("Ningbo", "宁波市", "ZJ", [("Haishu District", "海曙区"), ("Yinzhou District", "鄞州区")]),
    ("Shenzhen", "深圳市", "GD", [("Nanshan District", "南山区"), ("Futian District", "福田区")]),
    ("Guangzhou", "广州市", "GD", [("Tianhe District", "天河区"), ("Yuexiu District", "越秀区")]),
    ("Nanjing", "南京市", "JS", [("Gulou District", "鼓楼区"), ("Xuanwu District", "玄武区")]),
    ("Suzhou", "苏州市", "JS", [("Gusu District", "姑苏区"), ("Wuzhong District", "吴中区")]),
    ("Chengdu", "成都市", "SC", [("Wuhou District", "武侯区"), ("Jinjiang District", "锦江区")]),
    ("Wuhan", "武汉市", "HB", [("Jianghan District", "江汉区"), ("Hongshan District", "洪山区")]),
    ("Xi'an", "西安市", "SN", [("Yanta District", "雁塔区"), ("Beilin District", "碑林区")]),
    ("Wenzhou", "温州市", "ZJ", [("Lucheng District", "鹿城区"), ("Ouhai District", "瓯海区")]),
    ("Foshan", "佛山市", "GD", [("Nanhai District", "南海区"), ("Shunde District", "顺德区")]),
    ("Dongguan", "东莞市", "GD", []),
    ("Wuxi", "无锡市", "JS", [("Liangxi District", "梁溪区"), ("Binhu District", "滨湖区")]),
    ("Jinan", "济南市", "SD", [("Lixia District", "历下区"), ("Shizhong District", "市中区")]),
    ("Qingdao", "青岛市", "SD", [("Shinan District", "市南区"), ("Laoshan District", "崂山区")]),
    ("Zhengzhou", "郑州市", "HA", [("Jinshui District", "金水区"), ("Erqi District", "二七区")]),
    ("Changsha", "长沙市", "HN", [("Yuelu District", "岳麓区"), ("Furong District", "芙蓉区")]),
    ("Hefei", "合肥市", "AH", [("Shushan District", "蜀山区"), ("Baohe District", "包河区")]),
    ("Fuzhou", "福州市", "FJ", [("Gulou District", "鼓楼区"), ("Taijiang District", "台江区")]),
    ("Xiamen", "厦门市", "FJ", [("Siming District", "思明区"), ("Huli District", "湖里区")]),
    ("Nanchang", "南昌市", "JX", [("Donghu District", "东湖区"), ("Xihu District", "西湖区")]),
    ("Kunming", "昆明市", "YN", [("Wuhua District", "五华区"), ("Panlong District", "盘龙区")]),
    ("Guiyang", "贵阳市", "GZ", [("Yunyan District", "云岩区"), ("Nanming District", "南明区")]),
    ("Nanning", "南宁市", "GX", [("Qingxiu District", "青秀区"), ("Xingning District", "兴宁区")]),
    ("Haikou", "海口市", "HI", [("Longhua District", "龙华区"), ("Meilan District", "美兰区")]),
    ("Shenyang", "沈阳市", "LN", [("Heping District", "和平区"), ("Shenhe District", "沈河区")]),
    ("Dalian", "大连市", "LN", [("Zhongshan District", "中山区"), ("Shahekou District", "沙河口区")]),
    ("Changchun", "长春市", "JL", [("Chaoyang District", "朝阳区"), ("Nanguan District", "南关区")]),
    ("Harbin", "哈尔滨市", "HL", [("Nangang District", "南岗区"), ("Daoli District", "道里区")]),
    ("Shijiazhuang", "石家庄市", "HE", [("Chang'an District", "长安区"), ("Qiaoxi District", "桥西区")]),
    ("Taiyuan", "太原市", "SX", [("Xiaodian District", "小店区"), ("Yingze District", "迎泽区")]),
    ("Lanzhou", "兰州市", "GS", [("Chengguan District", "城关区"), ("Qilihe District", "七里河区")]),
    ("Hohhot", "呼和浩特市", "NM", [("Xincheng District", "新城区"), ("Huimin District", "回民区")]),
    ("Urumqi", "乌鲁木齐市", "XJ", [("Tianshan District", "天山区"), ("Shayibake District", "沙依巴克区")]),
    ("Yinchuan", "银川市", "NX", [("Xingqing District", "兴庆区"), ("Jinfeng District", "金凤区")]),
    ("Xining", "西宁市", "QH", [("Chengzhong District", "城中区"), ("Chengxi District", "城西区")]),
    ("Lhasa", "拉萨市", "XZ", [("Chengguan District", "城关区"), ("Duilongdeqing District", "堆龙德庆区")]),
    ("Zhuhai", "珠海市", "GD", [("Xiangzhou District", "香洲区"), ("Jinwan District", "金湾区")]),
    ("Shaoxing", "绍兴市", "ZJ", [("Yuecheng District", "越城区"), ("Keqiao District", "柯桥区")]),
    ("Yantai", "烟台市", "SD", [("Zhifu District", "芝罘区"), ("Laishan District", "莱山区")]),
]
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

# Action types (with weights) by the enforcing regulator's category.
ACTION_TYPES_BY_CATEGORY = {
    "telecom": {"rectification_order": 38, "app_removal": 22, "public_naming": 28, "suspension": 6, "warning": 6},
    "cac": {"rectification_order": 18, "app_removal": 14, "public_naming": 14, "regulatory_talk": 22, "fine": 22,
            "warning": 6, "suspension": 4},
    "amr": {"fine": 62, "warning": 16, "rectification_order": 14, "public_naming": 8},
    "police": {"administrative_detention": 30, "fine": 30, "warning": 20, "rectification_order": 12, "other": 8},
    "finance": {"fine": 85, "warning": 15},
    "sector": {"rectification_order": 35, "public_naming": 30, "fine": 20, "regulatory_talk": 15},
    "monitor": {"public_naming": 85, "other": 15},
    "consumer": {"regulatory_talk": 40, "public_naming": 40, "other": 20},
    "court": {"criminal_sentence": 50, "civil_judgment": 45, "other": 5},
    "procuratorate": {"complaint_filed": 75, "other": 25},
    "dpa": {"fine": 55, "warning": 12, "complaint_filed": 13, "rectification_order": 10, "other": 10},
    "us": {"settlement": 55, "fine": 25, "complaint_filed": 20},
    "us-state": {"settlement": 60, "complaint_filed": 40},
}  # fmt: skip
BATCH_TYPES = {"rectification_order": 0.65, "app_removal": 0.7, "public_naming": 0.7, "suspension": 0.5,
               "regulatory_talk": 0.2}  # fmt: skip
BATCH_NOUNS = [("apps", "款APP", 70), ("mini programs", "款小程序", 12), ("SDKs", "款SDK", 6),
               ("websites", "家网站", 6), ("platforms", "家平台", 6)]  # fmt: skip
CURRENCY_BY_COUNTRY = {"CN": "CNY", "US": "USD", "GB": "GBP", "NO": "NOK", "KR": "KRW", "JP": "JPY", "SG": "SGD",
                       "HK": "HKD"}  # fmt: skip
# log10 of the smallest and largest fine in each currency: four orders of magnitude or more.
FINE_RANGE = {"CNY": (4.0, 8.0), "EUR": (3.5, 9.1), "USD": (4.0, 9.7), "GBP": (3.5, 8.3), "NOK": (4.5, 8.5),
              "KRW": (6.0, 11.0), "JPY": (5.0, 9.0), "SGD": (3.5, 7.0), "HKD": (3.0, 6.0)}  # fmt: skip

SURNAMES = [("Wang", "王"), ("Li", "李"), ("Zhang", "张"), ("Liu", "刘"), ("Chen", "陈"), ("Yang", "杨"),
            ("Zhao", "赵"), ("Huang", "黄"), ("Zhou", "周"), ("Wu", "吴"), ("Xu", "徐"), ("Sun", "孙")]  # fmt: skip
WORKPLACES = [("hospital", "医院"), ("courier company", "快递公司"),
              ("community health office", "社区卫生服务中心"), ("property management company", "物业公司"),
              ("telecom operator", "电信运营商"), ("school", "学校")]  # fmt: skip

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
SECTOR_TOPICS = {"apps": "apps", "finance": "finance", "banking": "finance", "insurance": "finance",
                 "telecoms": "telecoms", "automotive": "vehicles", "healthcare": "health-data", "education": "minors",
                 "gaming": "minors", "ecommerce": "platforms", "social_media": "platforms",
                 "internet": "platforms"}  # fmt: skip
FOREIGN_BRAND_HEADS = ["Blue", "Bright", "Clear", "North", "Silver", "Open", "Swift", "True", "Nova", "Peak",
                       "Maple", "Quill", "Harbor", "Lumen", "Vertex", "Echo"]  # fmt: skip
FOREIGN_BRAND_TAILS = ["loop", "wave", "path", "stack", "beam", "leaf", "gate", "mint", "field", "byte", "spark",
                       "nest", "grid", "shore"]  # fmt: skip
FOREIGN_COUNTRIES = [("US", "Inc.", 40), ("IE", "Ireland Limited", 15), ("GB", "UK Ltd", 12), ("DE", "GmbH", 10),
                     ("FR", "SAS", 8), ("NL", "B.V.", 5), ("KR", "Co., Ltd.", 5), ("SG", "Pte. Ltd.", 5)]  # fmt: skip
EU_COUNTRIES = {"EU", "IE", "FR", "DE", "IT", "ES", "NL", "LU"}
# How a foreign law's title names its jurisdiction ("Irish … Act").
FOREIGN_PLACES = {"EU": "EU", "IE": "Irish", "FR": "French", "DE": "German", "DE-HH": "Hamburg",
                  "DE-BW": "Baden-Württemberg", "GB": "UK", "US": "US", "US-CA": "California", "US-TX": "Texas",
                  "IT": "Italian", "ES": "Spanish", "NL": "Dutch", "LU": "Luxembourg", "KR": "Korean",
                  "NO": "Norwegian", "SG": "Singapore", "JP": "Japanese", "HK": "Hong Kong"}  # fmt: skip
VIOLATION_WEIGHTS = {v[0]: v[2] for v in VIOLATIONS}
VIOLATION_BY_SLUG = {v[0]: v for v in VIOLATIONS}

# What instruments are about: English, Chinese, topics.
SUBJECTS = [
    ("Personal Information Protection for Mobile Internet Applications", "移动互联网应用程序个人信息保护",
     ["apps", "personal-information"]),
    ("Security Assessment of Outbound Data Transfers", "数据出境安全评估", ["cross-border-transfer"]),
    ("Network Data Security", "网络数据安全", ["data-security"]),
    ("Data Classification and Grading", "数据分类分级", ["data-security"]),
    ("Facial Recognition Technology Applications", "人脸识别技术应用", ["facial-recognition", "biometrics"]),
    ("Algorithm Recommendation Services", "算法推荐服务", ["algorithms"]),
    ("Deep Synthesis Internet Information Services", "深度合成互联网信息服务", ["ai", "algorithms"]),
    ("Generative Artificial Intelligence Services", "生成式人工智能服务", ["ai"]),
    ("Automotive Data Security", "汽车数据安全", ["vehicles", "data-security"]),
    ("Critical Information Infrastructure Security Protection", "关键信息基础设施安全保护",
     ["critical-infrastructure", "cybersecurity"]),
    ("Cybersecurity Incident Reporting", "网络安全事件报告", ["cybersecurity"]),
    ("Standard Contracts for Outbound Transfers of Personal Information", "个人信息出境标准合同",
     ["cross-border-transfer", "personal-information"]),
    ("Personal Information Protection Compliance Audits", "个人信息保护合规审计", ["personal-information"]),
    ("Cybersecurity Review", "网络安全审查", ["cybersecurity", "critical-infrastructure"]),
    ("Health and Medical Data Security", "健康医疗数据安全", ["health-data", "data-security"]),
    ("Financial Data Security", "金融数据安全", ["finance", "data-security"]),
    ("Credit Information Services", "征信业务", ["finance", "personal-information"]),
    ("Public Data Sharing and Opening", "公共数据共享开放", ["digital-economy"]),
    ("Data Trading Services", "数据交易服务", ["digital-economy"]),
    ("Industrial Data Security", "工业数据安全", ["data-security"]),
    ("Live-streaming E-commerce", "网络直播营销", ["platforms", "consumer-protection"]),
    ("Mini Program Personal Information Protection", "小程序个人信息保护", ["apps", "personal-information"]),
    ("Mobile Application SDK Security", "移动互联网应用程序SDK安全", ["apps", "cybersecurity"]),
    ("Biometric Information Protection", "生物识别信息保护", ["biometrics", "personal-information"]),
    ("Employee Personal Information Processing", "员工个人信息处理", ["employee-data", "personal-information"]),
    ("Children's Personal Information Online", "儿童个人信息网络保护", ["minors", "personal-information"]),
    ("Sensitive Personal Information Processing", "敏感个人信息处理", ["personal-information"]),
    ("Personal Information Protection Impact Assessments", "个人信息保护影响评估", ["personal-information"]),
    ("Data Security Risk Assessment", "数据安全风险评估", ["data-security"]),
    ("Important Data Identification", "重要数据识别", ["data-security"]),
    ("Internet Platform Data Security", "互联网平台数据安全", ["platforms", "data-security"]),
    ("Network Product Security Vulnerability Management", "网络产品安全漏洞管理", ["cybersecurity"]),
    ("Commercial Cryptography Applications", "商用密码应用", ["cybersecurity"]),
    ("Intelligent Connected Vehicle Data", "智能网联汽车数据", ["vehicles"]),
    ("Express Delivery Personal Information Protection", "快递个人信息保护", ["personal-information"]),
    ("Online Payment Data Security", "网络支付数据安全", ["finance", "data-security"]),
    ("Telecommunications and Internet User Personal Information Protection", "电信和互联网用户个人信息保护",
     ["telecoms", "personal-information"]),
    ("Personal Information Deletion", "个人信息删除", ["personal-information"]),
    ("Anonymisation of Personal Information", "个人信息匿名化", ["personal-information", "data-security"]),
    ("Personal Information Protection Certification", "个人信息保护认证", ["personal-information", "standards"]),
    ("Online Games for Minors", "未成年人网络游戏", ["minors"]),
    ("Internet Advertising", "互联网广告", ["consumer-protection", "platforms"]),
    ("App Permission Requests", "应用程序权限申请", ["apps"]),
    ("Cloud Computing Service Security Assessment", "云计算服务安全评估", ["cybersecurity"]),
    ("Big Data Price Discrimination", "大数据杀熟", ["big-data-pricing", "consumer-protection"]),
    ("Data Intellectual Property Registration", "数据知识产权登记", ["intellectual-property", "digital-economy"]),
    ("Unfair Competition in the Data Sector", "数据领域不正当竞争", ["unfair-competition"]),
]  # fmt: skip

# Title forms by instrument kind: English, Chinese ({s}: subject; {p}: place).
TITLE_FORMS = {
    "departmental_rule": [("Measures for the Administration of {s}", "{s}管理办法"), ("Provisions on {s}", "{s}规定"),
                          ("Administrative Measures on {s}", "{s}管理暂行办法")],
    "normative_document": [("Notice on Strengthening {s}", "关于加强{s}工作的通知"),
                           ("Implementation Plan for {s}", "{s}实施方案"), ("Opinions on {s}", "关于{s}的意见")],
    "guideline": [("Guidelines on {s}", "{s}指南"), ("Compliance Guidelines for {s}", "{s}合规指引"),
                  ("Self-regulatory Convention on {s}", "{s}自律公约")],
    "national_standard": [("Information Security Technology — Security Requirements for {s}",
                           "信息安全技术 {s}安全要求"),
                          ("Information Security Technology — Guidelines for {s}", "信息安全技术 {s}指南"),
                          ("Information Security Technology — Evaluation Specification for {s}",
                           "信息安全技术 {s}评估规范")],
    "industry_standard": [("Technical Requirements for {s}", "{s}技术要求"),
                          ("Evaluation Methods for {s}", "{s}评估方法")],
    "local_regulation": [("{p} Regulations on {s}", "{p}{s}条例"), ("{p} Provisions on {s}", "{p}{s}若干规定")],
    "administrative_regulation": [("Regulations on {s}", "{s}条例")],
    "judicial_document": [("Provisions on the Application of Law in Cases Involving {s}",
                           "关于审理{s}案件适用法律若干问题的规定"),
                          ("Typical Cases on {s}", "{s}典型案例")],
    "law": [("Law on {s}", "{s}法")],
    "foreign_law": [("Regulation on {s}", ""), ("{p} {s} Act", ""), ("Guidance on {s}", "")],
}  # fmt: skip
INSTRUMENT_KIND_WEIGHTS = {"departmental_rule": 18, "normative_document": 18, "national_standard": 16,
                           "guideline": 14, "local_regulation": 10, "industry_standard": 8, "foreign_law": 7,
                           "judicial_document": 5, "administrative_regulation": 3, "law": 1}  # fmt: skip
INSTRUMENT_STATUS_WEIGHTS = {"in_force": 50, "draft": 18, "adopted": 12, "amended": 8, "repealed": 6,
                             "withdrawn": 6}  # fmt: skip

# The laws most actions cite, created first (and always before the period): key, title, Chinese title,
# short title, kind, jurisdiction, issuer keys, published, subject index.
CORE_INSTRUMENTS = [
    ("pipl", "Personal Information Protection Law", "个人信息保护法", "PIPL", "law", "CN", ["npcsc"], "2021-08-20"),
    ("csl", "Cybersecurity Law", "网络安全法", "CSL", "law", "CN", ["npcsc"], "2016-11-07"),
    ("dsl", "Data Security Law", "数据安全法", "DSL", "law", "CN", ["npcsc"], "2021-06-10"),
    ("consumer-rights-law", "Law on the Protection of Consumer Rights and Interests", "消费者权益保护法", "", "law",
     "CN", ["npcsc"], "2013-10-25"),
    ("civil-code", "Civil Code", "民法典", "", "law", "CN", ["npcsc"], "2020-05-28"),
    ("criminal-law", "Criminal Law", "刑法", "", "law", "CN", ["npcsc"], "2017-11-04"),
    ("public-security-penalties-law", "Law on Penalties for Administration of Public Security", "治安管理处罚法", "",
     "law", "CN", ["npcsc"], "2012-10-26"),
    ("ecommerce-law", "E-commerce Law", "电子商务法", "", "law", "CN", ["npcsc"], "2018-08-31"),
    ("minors-protection-law", "Law on the Protection of Minors", "未成年人保护法", "", "law", "CN", ["npcsc"],
     "2020-10-17"),
    ("anti-unfair-competition-law", "Anti-Unfair Competition Law", "反不正当竞争法", "", "law", "CN", ["npcsc"],
     "2019-04-23"),
    ("network-data-security-regulations", "Regulations on Network Data Security Management", "网络数据安全管理条例", "",
     "administrative_regulation", "CN", ["state-council"], "2024-09-30"),
    ("app-pi-provisions", "Provisions on the Scope of Necessary Personal Information for Common Types of Mobile "
     "Internet Applications", "常见类型移动互联网应用程序必要个人信息范围规定", "", "normative_document", "CN",
     ["cac", "miit", "mps", "samr"], "2021-03-22"),
    ("gdpr", "General Data Protection Regulation", "", "GDPR", "foreign_law", "EU",
     ["european-parliament", "eu-council"], "2016-04-27"),
    ("uk-dpa-2018", "Data Protection Act 2018", "", "DPA 2018", "foreign_law", "GB", ["uk-dsit"], "2018-05-23"),
    ("ftc-act", "Federal Trade Commission Act", "", "FTC Act", "foreign_law", "US", ["us-ftc"], "2006-10-01"),
    ("coppa", "Children's Online Privacy Protection Act", "", "COPPA", "foreign_law", "US", ["us-ftc"], "2013-07-01"),
    ("ccpa", "California Consumer Privacy Act", "", "CCPA", "foreign_law", "US-CA", ["us-cppa", "us-ca-ag"],
     "2018-06-28"),
    ("kr-pipa", "Personal Information Protection Act (Korea)", "", "PIPA", "foreign_law", "KR", ["kr-pipc"],
     "2020-02-04"),
    ("eprivacy-directive", "Directive on Privacy and Electronic Communications", "", "ePrivacy Directive",
     "foreign_law", "EU", ["european-parliament", "eu-council"], "2009-11-25"),
    ("hk-pdpo", "Personal Data (Privacy) Ordinance", "", "PDPO", "foreign_law", "HK", ["hk-pcpd"], "2012-10-01"),
]  # fmt: skip
# Which core laws each kind of action cites, most cited first.
LEGAL_BASIS_BY_TYPE = {
    "criminal_sentence": ["criminal-law", "pipl"],
    "civil_judgment": ["civil-code", "pipl", "consumer-rights-law"],
    "complaint_filed": ["pipl", "civil-code", "minors-protection-law"],
    "administrative_detention": ["public-security-penalties-law", "csl"],
}
DEFAULT_LEGAL_BASIS = ["pipl", "csl", "dsl", "app-pi-provisions", "consumer-rights-law",
                       "network-data-security-regulations", "ecommerce-law", "minors-protection-law",
                       "anti-unfair-competition-law"]  # fmt: skip
FOREIGN_LEGAL_BASIS = {"EU": ["gdpr", "eprivacy-directive"], "GB": ["uk-dpa-2018"], "US": ["ftc-act", "coppa"],
                       "US-CA": ["ccpa"], "KR": ["kr-pipa"], "HK": ["hk-pdpo"]}  # fmt: skip

PRESS = [
    ("Xinhua News Agency", "http://www.xinhuanet.com/tech/", "zh"),
    ("People's Daily Online", "http://it.people.com.cn/n1/", "zh"),
    ("The Paper", "https://www.thepaper.cn/newsDetail_forward_", "zh"),
    ("Caixin", "https://www.caixin.com/", "zh"),
    ("21st Century Business Herald (21jingji.com)", "https://m.21jingji.com/article/", "zh"),
    ("Sina Finance", "https://finance.sina.com.cn/tech/", "zh"),
    ("Legal Daily", "http://www.legaldaily.com.cn/", "zh"),
    ("China Daily", "https://www.chinadaily.com.cn/a/", "en"),
    ("South China Morning Post", "https://www.scmp.com/tech/", "en"),
    ("Reuters", "https://www.reuters.com/technology/", "en"),
    ("Lexology", "https://www.lexology.com/library/detail.aspx?g=", "en"),
    ("IAPP", "https://iapp.org/news/a/", "en"),
]
VIEW_SERIES = [("Employee Data Protection Series", "员工数据保护系列"),
               ("Cross-border Transfer Series", "数据出境系列"), ("PIPL Compliance Series", "个人信息保护法合规系列"),
               ("Data Security Law Series", "数据安全法系列"),
               ("AI Governance Series", "人工智能治理系列")]  # fmt: skip
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip

# ---------------------------------------------------------------------------------------------
# Sentence templates: Markdown with {slots}, rendered to HTML once and then filled.
# ---------------------------------------------------------------------------------------------

# A slot value that Markdown would read as syntax; bodies using one are rendered in full.
MARKDOWN_ACTIVE = re.compile(r"[\\`*_\[\]<>&\n\r\t\u00a0]|^\s|\s$|\s\s|^\d+[.)]|^[-+#=>]")


class Phrase:
    """One sentence of Markdown with {slots}: its HTML is rendered once, then filled per use.

    Filling the HTML with escaped values gives what `render_markdown` gives for the filled
    Markdown, as long as no value carries Markdown syntax (`Body` checks, and renders in full
    when one does); tests compare the two on every generated item.
    """

    def __init__(self, text):
        self.text = text
        self.slots = [name for _lit, name, _spec, _conv in Formatter().parse(text) if name]
        self._html = None

    @property
    def html(self):
        if self._html is None:
            tokens = {name: f"Zqx{index}xqZ" for index, name in enumerate(dict.fromkeys(self.slots))}
            html = render_markdown(self.text.format(**tokens))
            if not (html.startswith("<p>") and html.endswith("</p>\n")):
                raise ValueError(f"Not a single paragraph: {self.text!r}")
            html = html[3:-5].replace("{", "{{").replace("}", "}}")
            for name, token in tokens.items():
                html = html.replace(token, "{" + name + "}")
            self._html = html
        return self._html


def _phrases(*texts):
    return [Phrase(text) for text in texts]


@functools.lru_cache(maxsize=65536)
def _escape(value):
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@functools.lru_cache(maxsize=65536)
def _is_plain(value):
    return not MARKDOWN_ACTIVE.search(value)


class Body:
    """Paragraphs of filled phrases, giving the Markdown and its HTML together."""

    def __init__(self):
        self.paragraphs = []
        self.plain = True

    def paragraph(self, *filled):
        if filled:
            self.paragraphs.append(list(filled))

    def fill(self, phrase, slots):
        values = {name: slots[name] for name in phrase.slots}
        if self.plain and not all(map(_is_plain, values.values())):
            self.plain = False
        return phrase.text.format(**values), (phrase, values)

    def markdown(self):
        return "\n\n".join(" ".join(text for text, _ in paragraph) for paragraph in self.paragraphs)

    def html(self):
        if not self.plain:
            return render_markdown(self.markdown())
        return "".join(
            "<p>"
            + " ".join(phrase.html.format(**{k: _escape(v) for k, v in values.items()}) for _, (phrase, values) in p)
            + "</p>\n"
            for p in self.paragraphs
        )


# What each action type did, for bodies and summaries: English, Chinese.
ACTION_VERBS = {
    "fine": (Phrase("{when}, the {reg_intro} imposed a fine of {amount} on {target} for {violation}."),
             Phrase("{when_zh}，{reg_zh}因{target_zh}{violation_zh}，对其处以{amount_zh}罚款。")),
    "rectification_order": (Phrase("{when}, the {reg_intro} ordered {target} to rectify within a time limit "
                                   "for {violation}."),
                            Phrase("{when_zh}，{reg_zh}责令{target_zh}限期整改{violation_zh}问题。")),
    "app_removal": (Phrase("{when}, the {reg_intro} ordered app stores to remove {target} for {violation}."),
                    Phrase("{when_zh}，{reg_zh}因{violation_zh}，要求应用商店下架{target_zh}。")),
    "public_naming": (Phrase("{when}, the {reg_intro} publicly named {target} for {violation}."),
                      Phrase("{when_zh}，{reg_zh}通报{target_zh}存在{violation_zh}问题。")),
    "suspension": (Phrase("{when}, the {reg_intro} suspended {target} for {violation}."),
                   Phrase("{when_zh}，{reg_zh}因{violation_zh}暂停{target_zh}相关业务。")),
    "warning": (Phrase("{when}, the {reg_intro} issued a warning to {target} for {violation}."),
                Phrase("{when_zh}，{reg_zh}因{violation_zh}对{target_zh}予以警告。")),
    "regulatory_talk": (Phrase("{when}, the {reg_intro} summoned the managers of {target} for a regulatory talk "
                               "over {violation}."),
                        Phrase("{when_zh}，{reg_zh}就{violation_zh}问题约谈{target_zh}负责人。")),
    "administrative_detention": (Phrase("{when}, the {reg_intro} placed {target} under {sentence} for {violation}."),
                                 Phrase("{when_zh}，{reg_zh}因{violation_zh}对{target_zh}处以{sentence_zh}。")),
    "criminal_sentence": (Phrase("{when}, the {reg_intro} sentenced {target} to {sentence} for {violation}."),
                          Phrase("{when_zh}，{reg_zh}以侵犯公民个人信息罪判处{target_zh}{sentence_zh}。")),
    "civil_judgment": (Phrase("{when}, the {reg_intro} ordered {target} to pay {damages} in damages for {violation}."),
                       Phrase("{when_zh}，{reg_zh}判令{target_zh}赔偿{damages_zh}。")),
    "settlement": (Phrase("{when}, the {reg_intro} announced that {target} had agreed to pay {amount} to settle "
                          "allegations of {violation}."),
                   Phrase("{when_zh}，{reg_zh}宣布{target_zh}同意支付{amount_zh}，就{violation_zh}指控达成和解。")),
    "complaint_filed": (Phrase("{when}, the {reg_intro} brought proceedings against {target} over {violation}."),
                        Phrase("{when_zh}，{reg_zh}就{violation_zh}对{target_zh}提起诉讼。")),
    "other": (Phrase("{when}, the {reg_intro} reported the results of its investigation of {target} for {violation}."),
              Phrase("{when_zh}，{reg_zh}通报了对{target_zh}{violation_zh}问题的调查结果。")),
}  # fmt: skip
# One line per action when an item reports several.
ACTION_OUTCOMES = {
    "fine": Phrase("{target}: a fine of {amount}."),
    "rectification_order": Phrase("{target}: ordered to rectify."),
    "app_removal": Phrase("{target}: removed from app stores."),
    "public_naming": Phrase("{target}: publicly named."),
    "suspension": Phrase("{target}: suspended."),
    "warning": Phrase("{target}: a warning."),
    "regulatory_talk": Phrase("{target}: summoned for a regulatory talk."),
    "administrative_detention": Phrase("{target}: {sentence}."),
    "criminal_sentence": Phrase("{target}: {sentence}."),
    "civil_judgment": Phrase("{target}: damages of {damages}."),
    "settlement": Phrase("{target}: a settlement of {amount}."),
    "complaint_filed": Phrase("{target}: proceedings brought."),
    "other": Phrase("{target}: investigated."),
}
ENFORCEMENT_HEADLINES = {
    "fine": ("{reg} Fines {target} {amount} for {violation_title}", "{reg_zh}对{target_zh}处以{amount_zh}罚款"),
    "rectification_order": ("{reg} Orders {target} to Rectify {violation_title}", "{reg_zh}责令{target_zh}限期整改"),
    "app_removal": ("{reg} Removes {target} from App Stores for {violation_title}", "{reg_zh}下架{target_zh}"),
    "public_naming": ("{reg} Names {target} for {violation_title}", "{reg_zh}通报{target_zh}{violation_zh}"),
    "suspension": ("{reg} Suspends {target} over {violation_title}", "{reg_zh}暂停{target_zh}相关业务"),
    "warning": ("{reg} Warns {target} over {violation_title}", "{reg_zh}对{target_zh}予以警告"),
    "regulatory_talk": ("{reg} Holds Regulatory Talk with {target} over {violation_title}", "{reg_zh}约谈{target_zh}"),
    "administrative_detention": ("{reg} Detains {target} for {violation_title}", "{reg_zh}对{target_zh}处以行政拘留"),
    "criminal_sentence": ("{reg} Sentences {target} for {violation_title}", "{reg_zh}判处{target_zh}{sentence_zh}"),
    "civil_judgment": ("{reg} Orders {target} to Pay {damages} in Damages", "{reg_zh}判令{target_zh}赔偿{damages_zh}"),
    "settlement": ("{target} Settles {reg} Allegations of {violation_title} for {amount}",
                   "{target_zh}与{reg_zh}达成和解"),
    "complaint_filed": ("{reg} Brings Proceedings against {target} over {violation_title}",
                        "{reg_zh}对{target_zh}提起诉讼"),
    "other": ("{reg} Reports on Investigation of {target}", "{reg_zh}通报对{target_zh}的调查结果"),
}  # fmt: skip
GROUP_LEAD = (Phrase("{when}, the {reg_intro} announced {count} cases of {violation}."),
              Phrase("{when_zh}，{reg_zh}通报{count}起{violation_zh}案件。"))  # fmt: skip
GROUP_REST = (Phrase("The other {rest} cases were handled in the same way."), Phrase("其余{rest}起案件已依法处理。"))
BASIS = (
    Phrase("The {reg} found that this violated the *{basis}*."),
    Phrase("{reg_zh}认定，上述行为违反了《{basis_zh}》。"),
)

REGULATION_TEXTS = {
    "draft": (("{reg} Seeks Public Comments on the {title}", "{reg_zh}就《{title_zh}》公开征求意见"),
              Phrase("{when}, the {reg_intro} released the *{title}* for public comment."),
              Phrase("{when_zh}，{reg_zh}发布《{title_zh}》（征求意见稿），公开征求意见。")),
    "adopted": (("{reg} Issues the {title}", "{reg_zh}发布《{title_zh}》"),
                Phrase("{when}, the {reg_intro} issued the *{title}*."),
                Phrase("{when_zh}，{reg_zh}正式发布《{title_zh}》。")),
    "in_force": (("The {title} Takes Effect", "《{title_zh}》正式施行"),
                 Phrase("{when}, the *{title}* issued by the {reg_intro} took effect."),
                 Phrase("{when_zh}，{reg_zh}发布的《{title_zh}》正式施行。")),
    "amended": (("{reg} Amends the {title}", "{reg_zh}修订《{title_zh}》"),
                Phrase("{when}, the {reg_intro} published an amended version of the *{title}*."),
                Phrase("{when_zh}，{reg_zh}公布修订后的《{title_zh}》。")),
    "repealed": (("{reg} Repeals the {title}", "{reg_zh}废止《{title_zh}》"),
                 Phrase("{when}, the {reg_intro} announced that the *{title}* would be repealed."),
                 Phrase("{when_zh}，{reg_zh}宣布废止《{title_zh}》。")),
    "withdrawn": (("{reg} Withdraws the Draft {title}", "{reg_zh}撤回《{title_zh}》草案"),
                  Phrase("{when}, the {reg_intro} withdrew the draft *{title}*."),
                  Phrase("{when_zh}，{reg_zh}撤回《{title_zh}》草案。")),
}  # fmt: skip
DEADLINE = (Phrase("Comments may be submitted until {deadline}."), Phrase("意见反馈截止日期为{deadline_zh}。"))
EFFECTIVE = (Phrase("It takes effect on {effective}."), Phrase("该文件自{effective_zh}起施行。"))
IMPLEMENTS = (Phrase("It implements the *{law}*."), Phrase("该文件旨在落实《{law_zh}》。"))

CAMPAIGN = (("{reg} Launches Special Campaign on {subject}", "{reg_zh}开展{subject_zh}专项行动"),
            Phrase("{when}, the {reg_intro} launched a special campaign on {subject_lower}."),
            Phrase("{when_zh}，{reg_zh}部署开展{subject_zh}专项行动。"))  # fmt: skip
INDUSTRY = [
    (("{org} Publishes White Paper on {subject}", "{org_zh}发布{subject_zh}白皮书"),
     Phrase("{when}, {org} published a white paper on {subject_lower}."),
     Phrase("{when_zh}，{org_zh}发布{subject_zh}白皮书。")),
    (("{count} Companies Sign Self-regulatory Convention on {subject}", "{count}家企业签署{subject_zh}自律公约"),
     Phrase("{when}, {count} companies signed a self-regulatory convention on {subject_lower}."),
     Phrase("{when_zh}，{count}家企业签署{subject_zh}自律公约。")),
    (("{org} Obtains Certification for {subject}", "{org_zh}通过{subject_zh}认证"),
     Phrase("{when}, {org} announced that it had obtained certification for {subject_lower}."),
     Phrase("{when_zh}，{org_zh}宣布通过{subject_zh}认证。")),
]  # fmt: skip
VIEWS = (("{series} ({number}): {subject}", "{series_zh}（{number}）：{subject_zh}"),
         Phrase("In this article we look at {subject_lower} and what it means for companies doing business in "
                "China."),
         Phrase("本文分析{subject_zh}相关要求及其对在华企业的影响。"))  # fmt: skip

FILLERS = {
    "enforcement": _phrases(
        "The {reg} said it would keep up its campaign against apps and platforms that infringe users' rights.",
        "The companies concerned must complete rectification within the time limit or face further measures.",
        "According to the {reg}, the problems were found through technical testing and user complaints.",
        "The {reg} reminded operators that personal information may be collected only as far as their services need.",
        "This is one of a series of actions the {reg} has taken this year.",
        "Users whose rights were infringed were encouraged to complain through the official channels.",
    ),
    "regulation": _phrases(
        "The text covers {subject_lower} and sets out the obligations of personal information handlers.",
        "It clarifies the procedures for {subject_lower} and the legal liability for violations.",
        "The text was drafted to implement higher-level laws and to respond to problems seen in practice.",
        "It provides for a transition period so that companies can adjust their compliance programmes.",
        "Industry associations are expected to help companies understand the new requirements.",
    ),
    "general": _phrases(
        "The move is part of a wider effort to protect personal information in the digital economy.",
        "Observers expect further guidance on implementation in the coming months.",
        "Companies are advised to review their data processing practices in light of these developments.",
        "Regulators have repeatedly said that protecting users' rights and interests remains a priority.",
        "Platform operators bear primary responsibility for the security of the data they process.",
    ),
    "views": _phrases(
        "We set out the key obligations, the open questions and practical steps towards compliance.",
        "Employers and service providers alike will need to revisit their internal policies.",
        "We will follow the implementation closely and report on further developments.",
        "In our experience, regulators look first at notices, consent flows and data maps.",
    ),
}
FILLERS_ZH = {
    "enforcement": _phrases("{reg_zh}表示，将持续开展APP侵害用户权益专项整治行动。",
                            "相关企业须在规定期限内完成整改，逾期未整改的将依法处置。",
                            "据{reg_zh}介绍，上述问题系通过技术检测和用户举报发现。"),
    "regulation": _phrases("该文件明确了{subject_zh}的具体要求和法律责任。",
                           "该文件设置了过渡期，便于企业调整合规安排。"),
    "general": _phrases("此举是加强数字经济领域个人信息保护的重要举措。", "业内人士预计，相关配套细则将陆续出台。"),
    "views": _phrases("我们梳理了主要义务、待明确的问题以及合规建议。", "我们将持续关注相关进展。"),
}  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def cumulative(weights):
    total, cum = 0.0, []
    for weight in weights:
        total += weight
        cum.append(total)
    return cum


def zipf_cum_weights(count, exponent):
    """Weights of a Zipf law: the first does most, the long tail little."""
    return cumulative(rank**-exponent for rank in range(1, count + 1))


_CUMULATIVE = {}


def weighted(rng, mapping):
    """A key of `mapping` drawn with its value as weight (mappings are module constants: cached)."""
    keys, cum = _CUMULATIVE.get(id(mapping)) or _CUMULATIVE.setdefault(
        id(mapping), (list(mapping), cumulative(mapping.values()))
    )
    return rng.choices(keys, cum_weights=cum)[0]


def log_uniform_amount(rng, low_exp, high_exp):
    """A round amount (two significant figures) whose logarithm is uniform: each decade equally likely."""
    value = 10 ** rng.uniform(low_exp, high_exp)
    step = 10 ** max(int(math.floor(math.log10(value))) - 1, 0)
    return Decimal(int(round(value / step)) * step)


def distinct(objs):
    """Unsaved model instances in order, each once (they cannot be hashed before they have a pk)."""
    seen, result = set(), []
    for obj in objs:
        if id(obj) not in seen:
            seen.add(id(obj))
            result.append(obj)
    return result


def lower_phrase(text):
    """'Mobile Application SDK Security' -> 'mobile application SDK security'."""
    return " ".join(word if word.isupper() and len(word) > 1 else word.lower() for word in text.split(" "))


def english_date(value, precision):
    if value is None:
        return ""
    if precision == YEAR:
        return str(value.year)
    if precision == MONTH:
        return f"{MONTHS[value.month - 1]} {value.year}"
    return f"{MONTHS[value.month - 1]} {value.day}, {value.year}"


def chinese_date(value, precision):
    if value is None:
        return ""
    if precision == YEAR:
        return f"{value.year}年"
    if precision == MONTH:
        return f"{value.year}年{value.month}月"
    return f"{value.year}年{value.month}月{value.day}日"


def when_phrases(value, precision):
    """The opening of a sentence: 'On April 9, 2021' / 'In April 2021' / 'Recently', and in Chinese."""
    if value is None:
        return "Recently", "近日"
    prefix = "On" if precision == DAY else "In"
    return f"{prefix} {english_date(value, precision)}", chinese_date(value, precision)


def normalise(value, precision):
    if value is None:
        return None
    if precision == MONTH:
        return value.replace(day=1)
    if precision == YEAR:
        return value.replace(month=1, day=1)
    return value


def chinese_amount(amount, currency):
    if amount is None:
        return ""
    if currency == "CNY":
        return f"人民币{format_amount(amount, '')}元"
    return format_amount(amount, currency)


def unique_slug(text, taken, max_length=110):
    base = (DEMO_PREFIX + slugify(text))[:max_length].rstrip("-")
    slug, counter = base, 2
    while slug in taken:
        slug = f"{base}-{counter}"
        counter += 1
    taken.add(slug)
    return slug


class RegulatorSpec:
    """A planned regulator and what the generator knows about it besides its fields."""

    __slots__ = ("obj", "key", "category", "province", "country", "parent_key", "depth")

    def __init__(self, obj, key, category, province, country, parent_keys):
        self.obj, self.key, self.category, self.province, self.country = obj, key, category, province, country
        self.parent_key = parent_keys  # candidates until _plan_regulators picks the first one chosen
        self.depth = 0


class OrganisationSpec:
    """A planned organisation, its brand, sector and province, and its full Chinese name."""

    __slots__ = ("obj", "brand", "brand_zh", "sector", "province", "country", "full_name_zh", "depth")

    def __init__(self, obj, brand, brand_zh, sector, province, country, full_name_zh, depth):
        self.obj, self.brand, self.brand_zh, self.sector = obj, brand, brand_zh, sector
        self.province, self.country, self.full_name_zh, self.depth = province, country, full_name_zh, depth

    @property
    def name_zh(self):
        return self.full_name_zh or self.obj.name


class ItemPlan:
    """A planned news item: its place in an issue, its story, and what it links to (text comes later)."""

    __slots__ = (
        "issue",
        "section",
        "position",
        "event_date",
        "precision",
        "kind",
        "actions",
        "regulators",
        "instrument",
        "instruments",
        "subject",
        "org",
        "topics",
        "bilingual",
        "sources",
        "jurisdiction",
        "count",
        "pk",
    )

    def __init__(self, issue, section, position, event_date, precision, kind, bilingual, sources):
        self.issue, self.section, self.position, self.kind = issue, section, position, kind
        self.event_date, self.precision, self.bilingual, self.sources = event_date, precision, bilingual, sources
        self.actions, self.regulators, self.instruments, self.topics = [], [], [], []
        self.instrument = self.subject = self.org = self.count = self.pk = None
        self.jurisdiction = "CN"


class ActionPlan:
    """A planned enforcement action (an unsaved model instance) and the item and links it goes with."""

    __slots__ = ("obj", "item", "regulators", "legal_basis", "violations", "org_name_zh")

    def __init__(self, obj, item, regulators, legal_basis, violations, org_name_zh=""):
        self.obj, self.item, self.regulators = obj, item, regulators
        self.legal_basis, self.violations, self.org_name_zh = legal_basis, violations, org_name_zh


# ---------------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------------


def generated_data_exists():
    return any(
        model.objects.filter(slug__startswith=DEMO_PREFIX).exists()
        for model in (Series, Regulator, Instrument, Organisation)
    )


class DemoDataGenerator:
    """Plan (`plan()`, no writes) and then write (`write()`) a deterministic demo landscape.

    Every random choice comes from `random.Random` seeded with `seed` and a stage name, so a
    given seed and set of sizes gives the same rows, in the same order, on every run.
    """

    def __init__(
        self,
        *,
        regulators,
        instruments,
        organisations,
        issues,
        items,
        actions,
        seed=1,
        batch_size=BATCH_SIZE,
        progress=None,
    ):
        self.sizes = {
            "regulators": regulators,
            "instruments": instruments,
            "organisations": organisations,
            "issues": issues,
            "items": items,
            "actions": actions,
        }
        self.seed = seed
        self.batch_size = batch_size
        self.progress = progress
        self.planned = False
        self.timings = {}

    def rng(self, stage):
        return random.Random(f"{self.seed}:{stage}")  # noqa: S311 - demo data, not secrets

    # -- planning -----------------------------------------------------------------------------

    def plan(self):
        if self.sizes["actions"] and not self.sizes["items"]:
            raise ValueError("Enforcement actions are reported by news items: ask for some items too.")
        if self.sizes["items"] and not self.sizes["issues"]:
            raise ValueError("News items belong to issues: ask for at least one issue.")
        if self.sizes["actions"] and not self.sizes["regulators"]:
            raise ValueError("Enforcement actions need regulators: ask for at least one regulator.")
        started, cpu = time.perf_counter(), time.process_time()
        self._plan_regulators()
        self._plan_organisations()
        self._plan_instruments()
        self._plan_issues()
        self._plan_items()
        self._plan_actions()
        self._plan_public_ids()
        self.timings["planning"] = (time.perf_counter() - started, time.process_time() - cpu)
        self.planned = True
        return self

    def _plan_regulators(self):
        rng = self.rng("regulators")
        wanted = self.sizes["regulators"]
        national, foreign, provincial, municipal, district = self._regulator_pools()
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
        self.regulators = chosen
        self.regulators_by_key = by_key

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
            "domestic": self._zipf_pool(
                [s for s in ranked if s.country == "CN" and s.category not in ("court", "procuratorate")], 1.1
            ),
            "court": self._zipf_pool(courts, 0.8),
            "foreign": self._zipf_pool([s for s in enforcers if s.country != "CN"], 1.0),
            "monitor": self._zipf_pool([s for s in ranked if s.category in ("monitor", "consumer")], 1.0),
        }

    @staticmethod
    def _zipf_pool(pool, exponent):
        return pool, zipf_cum_weights(len(pool), exponent)

    def _regulator_pools(self):
        def make(
            key, name, name_zh, abbreviation, kind, jurisdiction, level, parents, website, category, province=None
        ):
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
            district += self._district_specs(make, city, city_zh, city_key, code, districts, municipal_city=True)
        for code, districts in MUNICIPALITY_DISTRICTS.items():
            city, city_zh, _adj = PROVINCE_BY_CODE[code]
            district += self._district_specs(make, city, city_zh, code.lower(), code, districts, municipal_city=False)
        return national, foreign, provincial, municipal, district

    @staticmethod
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

    def _plan_organisations(self):
        rng = self.rng("organisations")
        wanted = self.sizes["organisations"]
        taken_names, taken_slugs = set(), set()
        cn_cities = [(city, zh, code) for city, zh, code, _d in CITIES] + [
            (PROVINCE_BY_CODE[code][0], PROVINCE_BY_CODE[code][1], code) for code in sorted(MUNICIPALITIES)
        ]
        brands = [(a + b.lower(), az + bz) for a, az in SYLLABLES for b, bz in SYLLABLES if a != b]
        foreign_brands = [head + tail for head in FOREIGN_BRAND_HEADS for tail in FOREIGN_BRAND_TAILS]
        country_weights = {country: weight for country, _suffix, weight in FOREIGN_COUNTRIES}
        suffixes = {country: suffix for country, suffix, _weight in FOREIGN_COUNTRIES}
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
                    country = weighted(rng, country_weights)
                    name = f"{brand} {suffixes[country]}"
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
        self.organisations = specs
        # Repeat offenders: a Zipf law over a shuffled order; local regulators prefer local companies.
        order = specs[:]
        rng.shuffle(order)
        self.org_pools = {
            "CN": [s for s in order if s.country == "CN"],
            "foreign": [s for s in order if s.country != "CN"],
        }
        self.org_pools_by_province = {}
        for spec in self.org_pools["CN"]:
            self.org_pools_by_province.setdefault(spec.province, []).append(spec)
        self.org_pools_by_country = {}
        for spec in self.org_pools["foreign"]:
            self.org_pools_by_country.setdefault(spec.country, []).append(spec)
        self.org_cum = {key: zipf_cum_weights(len(pool), 0.8) for key, pool in self.org_pools.items()}
        self.org_cum_by_country = {
            key: zipf_cum_weights(len(pool), 0.8) for key, pool in self.org_pools_by_country.items()
        }
        self.org_cum_by_province = {
            key: zipf_cum_weights(len(pool), 0.8) for key, pool in self.org_pools_by_province.items()
        }

    def _plan_instruments(self):
        rng = self.rng("instruments")
        wanted = self.sizes["instruments"]
        regs = self.regulators_by_key
        taken_titles, taken_slugs = set(), set()
        instruments = []  # (obj, subject index, issuer specs, implements keys)
        self.core_instruments = {}
        for key, title, title_zh, short, kind, jurisdiction, issuers, published in CORE_INSTRUMENTS[:wanted]:
            published_on = datetime.date.fromisoformat(published)
            obj = Instrument(
                title=title,
                title_zh=title_zh,
                short_title=short,
                slug=unique_slug(key, taken_slugs),
                kind=kind,
                status=Instrument.Status.IN_FORCE,
                published_on=published_on,
                adopted_on=published_on,
                effective_on=published_on + datetime.timedelta(days=rng.choice([0, 90, 180, 365])),
                jurisdiction=jurisdiction,
                description="Demo data: a generated core law.",
            )
            taken_titles.add(title)
            issuer_specs = [regs[k] for k in issuers if k in regs]
            instruments.append((obj, None, issuer_specs, []))
            self.core_instruments[key] = len(instruments) - 1

        national_all = [s for s in self.regulators if s.country == "CN" and s.obj.level == "national"]
        national_issuers = [
            s
            for s in self.regulators
            if s.country == "CN" and s.obj.level == "national" and s.obj.kind == "agency" and s.category
        ]
        provincial_agencies = [
            s for s in self.regulators if s.country == "CN" and s.obj.level == "provincial" and s.obj.kind == "agency"
        ]
        legislatures = [
            s
            for s in self.regulators
            if s.obj.kind == "legislature" and s.country == "CN" and s.obj.level == "provincial"
        ]
        foreign_issuers = [s for s in self.regulators if s.country != "CN"]
        cn_laws = [i for i, (obj, *_rest) in enumerate(instruments) if obj.jurisdiction == "CN"]
        kinds = INSTRUMENT_KIND_WEIGHTS
        span = (PERIOD_END - PERIOD_START).days
        while len(instruments) < wanted:
            kind = weighted(rng, kinds)
            subject_index = rng.randrange(len(SUBJECTS))
            subject, subject_zh, _topics = SUBJECTS[subject_index]
            issuers, place, place_zh, jurisdiction = self._instrument_issuers(
                rng, kind, national_all, national_issuers, provincial_agencies, legislatures, foreign_issuers
            )
            form, form_zh = rng.choice(TITLE_FORMS[kind])
            title = form.format(s=subject, p=place)
            title_zh = form_zh.format(s=subject_zh, p=place_zh) if form_zh else ""
            if place and "{p}" not in form and kind != "foreign_law":
                title, title_zh = f"{place} {title}", f"{place_zh}{title_zh}" if title_zh else ""
            status = weighted(rng, INSTRUMENT_STATUS_WEIGHTS)
            if status == "draft" and rng.random() < 0.6:
                title, title_zh = f"{title} (Draft for Comment)", f"{title_zh}（征求意见稿）" if title_zh else ""
            if title in taken_titles:
                year = PERIOD_START.year + rng.randrange(6)
                title, title_zh = f"{title} ({year} Revision)", f"{title_zh}（{year}年修订）" if title_zh else ""
                if title in taken_titles:
                    continue
            taken_titles.add(title)
            obj = Instrument(
                title=title,
                title_zh=title_zh if rng.random() < 0.6 else "",
                kind=kind,
                status=status,
                jurisdiction=jurisdiction,
                slug=unique_slug(title, taken_slugs),
            )
            self._instrument_dates(rng, obj, span)
            lead = issuers[0] if issuers else None
            if lead and lead.obj.website and rng.random() < 0.7:
                obj.official_url = (
                    f"{lead.obj.website.rstrip('/')}/{obj.published_on:%Y-%m/%d}/c_{rng.getrandbits(40)}.htm"
                )
            obj.description = f"Demo data: a {obj.get_kind_display()} on {lower_phrase(subject)}."
            implements = []
            if cn_laws and jurisdiction.startswith("CN") and kind != "law" and rng.random() < 0.35:
                implements = rng.sample(cn_laws, min(len(cn_laws), rng.choice([1, 1, 2])))
            instruments.append((obj, subject_index, issuers, implements))
        self.instruments = instruments
        # Regulation news reports what was released near its date: instruments by publication date.
        self.instrument_timelines = {}
        for index, (obj, subject_index, _issuers, _impl) in enumerate(instruments):
            if subject_index is None or obj.published_on is None:
                continue
            if obj.kind == "foreign_law":
                side = "foreign"
            elif obj.kind == "judicial_document":
                side = "judicial"
            else:
                side = "CN"
            self.instrument_timelines.setdefault(side, []).append((obj.published_on, index))
        for timeline in self.instrument_timelines.values():
            timeline.sort()

    @staticmethod
    def _instrument_issuers(rng, kind, national_all, national, provincial, legislatures, foreign):
        """Who issues an instrument of this kind, and so its place and jurisdiction."""
        pick = None
        if kind == "foreign_law":
            pool = [s for s in foreign if s.obj.kind in ("agency", "legislature")]
            if pool:
                pick = [rng.choice(pool)]
                jurisdiction = pick[0].obj.jurisdiction
                return pick, FOREIGN_PLACES.get(jurisdiction, jurisdiction), "", jurisdiction
            return [], "EU", "", "EU"
        if kind == "local_regulation" and legislatures:
            pick = [rng.choice(legislatures)]
        elif kind in ("departmental_rule", "normative_document", "guideline") and provincial and rng.random() < 0.3:
            pick = [rng.choice(provincial)]
        if pick:
            code = pick[0].province
            name, zh, _adj = PROVINCE_BY_CODE[code]
            return pick, name, zh, f"CN-{code}"
        preferred = {
            "national_standard": ["tc260"],
            "industry_standard": ["miit", "caict", "csac"],
            "administrative_regulation": ["state-council"],
            "law": ["npcsc"],
            "judicial_document": ["spc", "spp"],
        }.get(kind)
        # The named issuer of laws, standards and judicial texts, when it was generated.
        candidates = [s for s in national_all if s.key in (preferred or [])]
        if not candidates:
            candidates = national or provincial
        if not candidates:
            return [], "", "", "CN"
        issuers = [rng.choice(candidates)]
        if kind in ("departmental_rule", "normative_document") and rng.random() < 0.15 and len(national) > 1:
            others = [s for s in national if s is not issuers[0]]
            issuers += rng.sample(others, min(len(others), rng.randint(1, 4)))
        return issuers, "", "", "CN"

    @staticmethod
    def _instrument_dates(rng, obj, span):
        """Dates that agree with the status: drafts recent with a deadline after publication."""
        status = obj.status
        if status == "draft":
            # Drafts are mostly recent: older ones have been adopted or dropped.
            back = min(span, int(rng.expovariate(1 / 240)))
            obj.published_on = PERIOD_END - datetime.timedelta(days=back)
            if rng.random() < 0.9:
                obj.comment_deadline = obj.published_on + datetime.timedelta(days=rng.choice([15, 30, 30, 30, 45, 60]))
            return
        obj.published_on = PERIOD_START + datetime.timedelta(days=rng.randrange(span + 1))
        if rng.random() < 0.06:
            obj.published_on_precision = MONTH
            obj.published_on = obj.published_on.replace(day=1)
        if status == "withdrawn":
            return
        obj.adopted_on = obj.published_on - datetime.timedelta(days=rng.choice([0, 0, 0, 3, 10, 30]))
        delay = rng.choice([0, 30, 60, 90, 180, 365])
        if rng.random() < 0.85:
            obj.effective_on = obj.published_on + datetime.timedelta(days=delay)
            if rng.random() < 0.05:
                obj.effective_on_precision = MONTH
                obj.effective_on = obj.effective_on.replace(day=1)
            if status == "in_force" and obj.effective_on > PERIOD_END:
                obj.status = Instrument.Status.ADOPTED  # adopted, not yet in force

    def _plan_issues(self):
        rng = self.rng("issues")
        wanted = self.sizes["issues"]
        self.series = []
        self.issues = []
        if not wanted:
            self.items_per_issue = []
            return
        counts = [round(share * wanted) for *_x, share, _size, _sections in SERIES]
        counts[-1] = wanted - sum(counts[:-1])
        if counts[-1] < 0:
            counts[0] += counts[-1]
            counts[-1] = 0
        span = (PERIOD_END - PERIOD_START).days
        edition = 300
        for (slug, name, name_zh, _share, size, sections), count in zip(SERIES, counts, strict=True):
            if not count:
                continue
            series = Series(
                slug=slug,
                name=name,
                name_zh=name_zh,
                publisher="Demo data",
                description="Generated demo issues; generate_demo_data --clear removes them.",
            )
            self.series.append(series)
            for index in range(count):
                centre = PERIOD_START + datetime.timedelta(days=int((index + 0.5) * span / count))
                number = index + 1
                issue = Issue(series=series, number=number, status=Issue.Status.PUBLISHED)
                if slug == "demo-weekly-review":
                    period_end = centre - datetime.timedelta(days=(centre.weekday() - 4) % 7)
                    issue.period_start, issue.period_end = period_end - datetime.timedelta(days=4), period_end
                    issue.issued_on = period_end + datetime.timedelta(days=3)
                    issue.title = f"Demo Weekly Review No.{number}"
                    edition += 1
                    issue.edition_number = edition
                elif slug == "demo-monthly-roundup":
                    first = centre.replace(day=1)
                    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
                    issue.period_start, issue.period_end = first, last
                    issue.issued_on, issue.issued_on_precision = first, MONTH
                    issue.title = f"Demo Monthly Round-up No.{number}, {MONTHS[first.month - 1]} {first.year}"
                else:
                    issue.issued_on = centre + datetime.timedelta(days=rng.randint(-3, 3))
                    subject = SUBJECTS[rng.randrange(len(SUBJECTS))][0]
                    issue.title = f"Demo Client Alert No.{number}: {subject}"
                issue.slug = f"{slug}-{number}"
                self.issues.append((issue, size * rng.uniform(0.6, 1.4), sections))
        self.issues.sort(key=lambda entry: (entry[0].issued_on, entry[0].series.slug, entry[0].number))

        # Status: the newest issues are drafts still being edited, a few older drafts linger and
        # a few issues were withdrawn after publication.
        total = len(self.issues)
        newest = max(1 if total >= 3 else 0, round(0.015 * total))
        draft_indexes = set(range(total - newest, total))
        older = list(range(total - newest))
        draft_indexes.update(rng.sample(older, min(len(older), round(0.02 * total))))
        candidates = [i for i in older if i not in draft_indexes]
        withdrawn = rng.sample(candidates, min(len(candidates), max(1 if total >= 3 else 0, round(0.015 * total))))
        for index, (issue, _weight, _sections) in enumerate(self.issues):
            if index in draft_indexes:
                issue.status = Issue.Status.DRAFT
                continue
            if index in withdrawn:
                issue.status = Issue.Status.WITHDRAWN
            published = issue.period_end or issue.issued_on
            published_on = max(published, issue.issued_on) + datetime.timedelta(days=rng.randint(2, 9))
            issue.published_at = datetime.datetime.combine(published_on, datetime.time(1, 0), tzinfo=datetime.UTC)

        # Items per issue: proportional to each issue's weight, at least one each while they last.
        items = self.sizes["items"]
        counts = [1 if index < items else 0 for index in range(total)]
        remaining = items - sum(counts)
        weights = [weight for _issue, weight, _sections in self.issues]
        total_weight = sum(weights)
        quotas = [remaining * weight / total_weight for weight in weights]
        floors = [int(q) for q in quotas]
        leftover = remaining - sum(floors)
        by_fraction = sorted(range(total), key=lambda i: (-(quotas[i] - floors[i]), i))
        for i in by_fraction[:leftover]:
            floors[i] += 1
        self.items_per_issue = [c + f for c, f in zip(counts, floors, strict=True)]
        if max(self.items_per_issue, default=0) > SMALLINT_MAX:
            raise ValueError("Too many items per issue: ask for more issues.")

    def _plan_items(self):
        rng = self.rng("items")
        self.items = []
        for (issue, _weight, sections), count in zip(self.issues, self.items_per_issue, strict=True):
            section_slugs = [weighted(rng, sections) for _ in range(count)]
            section_slugs.sort(key=lambda s: SECTION_ORDER[s])
            if issue.period_start:
                first, last = issue.period_start, issue.period_end
            else:
                first, last = issue.issued_on - datetime.timedelta(days=14), issue.issued_on
            days = (last - first).days
            for position, section in enumerate(section_slugs, start=1):
                kind = weighted(rng, SECTION_KINDS[section])
                roll = rng.random()
                if kind == "views" and roll < 0.7 or roll < 0.01:
                    event_date, precision = None, DAY
                else:
                    precision = MONTH if roll < 0.05 else YEAR if roll < 0.06 else DAY
                    event_date = normalise(first + datetime.timedelta(days=rng.randint(0, days)), precision)
                n_sources = rng.choices([0, 1, 2, 3, 4], weights=[0, 30, 35, 22, 13])[0]
                if kind == "views":
                    n_sources = rng.choice([0, 1])
                self.items.append(
                    ItemPlan(
                        issue=issue,
                        section=section,
                        position=position,
                        event_date=event_date,
                        precision=precision,
                        kind=kind,
                        bilingual=rng.random() < 0.2,
                        sources=n_sources,
                    )
                )

    def _plan_actions(self):
        rng = self.rng("actions")
        wanted = self.sizes["actions"]
        capable = [item for item in self.items if item.kind in ENFORCEMENT_KINDS]
        if wanted and not capable:
            capable = self.items[:wanted]
            for item in capable:
                item.kind = "enforcement"
        # Which items report how many actions: one each while they last; extra actions cluster
        # in a few items ("Ningbo AMR fines three real estate companies").
        counts = {}
        if wanted <= len(capable):
            for index in sorted(rng.sample(range(len(capable)), wanted)):
                counts[index] = 1
        else:
            counts = dict.fromkeys(range(len(capable)), 1)
            extra = wanted - len(capable)
            clusters = rng.sample(range(len(capable)), max(1, min(len(capable), extra // 3)))
            for _ in range(extra):
                counts[rng.choice(clusters)] += 1
        for index, item in enumerate(capable):
            if index not in counts:
                item.kind = KIND_WITHOUT_ACTION[item.kind]
        self.actions = []
        for index, item in enumerate(capable):
            if index in counts:
                self._plan_item_actions(rng, item, counts[index])
        for item in self.items:
            self._plan_item_context(rng, item)

    def _pick_enforcer(self, rng, pool_name):
        pool, cum = self.enforcer_pools[pool_name]
        if not pool:
            for fallback in ("domestic", "foreign", "court", "monitor"):
                pool, cum = self.enforcer_pools[fallback]
                if pool:
                    break
        return rng.choices(pool, cum_weights=cum)[0]

    def _pick_org(self, rng, regulator, foreign):
        if foreign and regulator.country in self.org_pools_by_country and rng.random() < 0.6:
            pool = self.org_pools_by_country[regulator.country]
            cum = self.org_cum_by_country[regulator.country]
        elif foreign:
            pool, cum = self.org_pools["foreign"], self.org_cum["foreign"]
        elif regulator.province and regulator.province in self.org_pools_by_province and rng.random() < 0.8:
            pool = self.org_pools_by_province[regulator.province]
            cum = self.org_cum_by_province[regulator.province]
        else:
            pool, cum = self.org_pools["CN"], self.org_cum["CN"]
        if not pool:
            return None
        return rng.choices(pool, cum_weights=cum)[0]

    def _plan_item_actions(self, rng, item, count):
        pool_name = {"enforcement": "domestic", "court": "court", "foreign_enforcement": "foreign"}[item.kind]
        regulator = self._pick_enforcer(rng, pool_name)
        foreign = regulator.country != "CN"
        regulators = [regulator]
        if rng.random() < 0.12:
            partner = self._pick_enforcer(rng, pool_name)
            if partner is not regulator:
                regulators.append(partner)
        action_type = weighted(rng, ACTION_TYPES_BY_CATEGORY[regulator.category])
        n_violations = rng.choices([0, 1, 2, 3], weights=[10, 50, 28, 12])[0]
        violations = []
        for _ in range(n_violations):
            slug = weighted(rng, VIOLATION_WEIGHTS)
            if slug not in violations:
                violations.append(slug)
        if action_type in ("administrative_detention", "criminal_sentence"):
            violations = [rng.choice(["illegal-sale-of-data", "unlawful-disclosure"])]
        decided_on = item.event_date or item.issue.issued_on
        precision = item.precision
        if precision == DAY:
            decided_on -= datetime.timedelta(
                days=min(rng.choice([0, 0, 0, 1, 2, 5, 10]), max(0, (decided_on - PERIOD_START).days))
            )
        batch = action_type in BATCH_TYPES and rng.random() < BATCH_TYPES[action_type]
        noun = rng.choices(BATCH_NOUNS, weights=[n[2] for n in BATCH_NOUNS])[0]
        if action_type == "regulatory_talk":
            noun = ("platforms", "家平台", 0)
        if batch and precision == DAY and rng.random() < 0.03:
            # A yearly total ("MIIT removed 1,200 apps in 2022").
            precision, decided_on = YEAR, decided_on.replace(month=1, day=1)
        currency = self._currency(regulator)
        legal_basis = self._legal_basis(rng, regulator, action_type, decided_on)
        item.regulators = [spec.obj for spec in regulators]
        item.jurisdiction = regulator.obj.jurisdiction
        for _ in range(count):
            obj = EnforcementAction(
                action_type=action_type,
                decided_on=decided_on,
                decided_on_precision=precision,
                jurisdiction=regulator.obj.jurisdiction,
            )
            org_zh = self._fill_target(rng, obj, regulator, action_type, noun if batch else None, foreign, currency)
            self.actions.append(ActionPlan(obj, item, item.regulators, legal_basis, violations, org_zh))
            item.actions.append(self.actions[-1])

    @staticmethod
    def _currency(regulator):
        country = regulator.country
        if country in EU_COUNTRIES:
            return "EUR"
        return CURRENCY_BY_COUNTRY.get(country, "USD" if country != "CN" else "CNY")

    def _legal_basis(self, rng, regulator, action_type, decided_on):
        if regulator.country != "CN":
            keys = FOREIGN_LEGAL_BASIS.get(regulator.obj.jurisdiction) or FOREIGN_LEGAL_BASIS.get(
                "EU" if regulator.country in EU_COUNTRIES else regulator.country, []
            )
        else:
            keys = LEGAL_BASIS_BY_TYPE.get(action_type, DEFAULT_LEGAL_BASIS)
        keys = [
            key
            for key in keys
            if key in self.core_instruments
            and self.instruments[self.core_instruments[key]][0].published_on <= decided_on
        ]
        if not keys or rng.random() < 0.25:
            return []
        cum = zipf_cum_weights(len(keys), 1.3)
        chosen = []
        for _ in range(rng.choice([1, 1, 2])):
            key = rng.choices(keys, cum_weights=cum)[0]
            if key not in chosen:
                chosen.append(key)
        return [self.instruments[self.core_instruments[key]][0] for key in chosen]

    def _fill_target(self, rng, obj, regulator, action_type, batch_noun, foreign, currency):
        """Say whom the action was aimed at and what it cost; returns the target's Chinese name."""
        org_zh = ""
        if batch_noun:
            noun, noun_zh, _weight = batch_noun
            count = max(2, int(round(math.exp(rng.uniform(math.log(2), math.log(400))))))
            obj.target, obj.target_count = f"{count} {noun}", count
            obj.sector = Sector.APPS if noun in ("apps", "mini programs", "SDKs") else Sector.INTERNET
            org_zh = f"{count}{noun_zh}"
        elif action_type in ("administrative_detention", "criminal_sentence"):
            surname, surname_zh = rng.choice(SURNAMES)
            org = self._pick_org(rng, regulator, foreign) if rng.random() < 0.6 else None
            defendants = (
                1 if action_type == "administrative_detention" else rng.choices([1, 2, 3, 5], [60, 20, 12, 8])[0]
            )
            if org:
                obj.target = f"{surname}, a former employee of {org.obj.name}"
                org_zh = f"{org.name_zh}前员工{surname_zh}某"
                obj.organisation, obj.sector = org.obj, org.sector
            else:
                workplace, workplace_zh = rng.choice(WORKPLACES)
                obj.target = f"{surname}, a staff member of a {workplace}"
                org_zh = f"某{workplace_zh}工作人员{surname_zh}某"
                obj.sector = Sector.PUBLIC_SECTOR if workplace == "community health office" else Sector.OTHER
            if defendants > 1:
                obj.target += f" and {defendants - 1} other defendant{'s' if defendants > 2 else ''}"
                org_zh += f"等{defendants}人"
                obj.target_count = defendants
            if action_type == "administrative_detention":
                obj.sentence = f"{rng.randint(3, 15)} days' administrative detention"
                if rng.random() < 0.25:
                    obj.fine_amount, obj.currency = log_uniform_amount(rng, 2.7, 3.7), currency
            else:
                roll = rng.random()
                if roll < 0.6:
                    obj.sentence = f"{rng.randint(1, 7)} years' imprisonment"
                elif roll < 0.8:
                    obj.sentence = f"{rng.randint(6, 11)} months' imprisonment"
                else:
                    obj.sentence = f"a suspended sentence of {rng.randint(1, 3)} years"
                if rng.random() < 0.35:
                    obj.fine_amount, obj.currency = log_uniform_amount(rng, 3.7, 6.0), currency
        else:
            org = self._pick_org(rng, regulator, foreign) if rng.random() < 0.95 else None
            if org:
                obj.target, obj.organisation, obj.sector = org.obj.name, org.obj, org.sector
                org_zh = org.name_zh
            else:
                sector = weighted(rng, SECTOR_WEIGHTS)
                label = Sector(sector).label
                obj.target, obj.sector = f"A company in {label} (not named)", sector
                org_zh = "某企业"
        if action_type in ("fine", "settlement"):
            low, high = FINE_RANGE[currency]
            obj.fine_amount, obj.currency = log_uniform_amount(rng, low, high), currency
        elif action_type == "civil_judgment":
            obj.damages_amount, obj.currency = log_uniform_amount(rng, 3.0, 6.5), currency
        return org_zh

    def _plan_item_context(self, rng, item):
        """Regulators, instruments, topics and subject of an item, from its story."""
        kind = item.kind
        topics = []
        instruments = []
        if item.actions:
            first = item.actions[0]
            instruments = distinct(ins for plan in item.actions for ins in plan.legal_basis)
            topics += [VIOLATION_BY_SLUG[slug][6] for slug in first.violations]
            if first.obj.sector in SECTOR_TOPICS:
                topics.append(SECTOR_TOPICS[first.obj.sector])
            if first.obj.action_type in ("complaint_filed",) and first.regulators[0].kind == "procuratorate":
                topics.append("public-interest-litigation")
            if first.obj.jurisdiction.split("-")[0] in EU_COUNTRIES:
                topics.append("gdpr")
            item.subject = rng.randrange(len(SUBJECTS))
        elif kind in ("regulation", "foreign_regulation"):
            if kind == "foreign_regulation":
                side = "foreign"
            elif item.section == "courts-and-litigation":
                side = "judicial"
            else:
                side = "CN"
            timeline = self.instrument_timelines.get(side) or self.instrument_timelines.get("CN")
            if not timeline:
                kind = item.kind = "views"
            else:
                when = item.event_date or item.issue.issued_on
                low = bisect.bisect_left(timeline, (when - datetime.timedelta(days=45), -1))
                high = bisect.bisect_right(timeline, (when + datetime.timedelta(days=45), len(self.instruments)))
                if high > low:
                    index = timeline[rng.randrange(low, high)][1]
                else:
                    index = timeline[min(low, len(timeline) - 1)][1]
                obj, subject_index, issuers, implements = self.instruments[index]
                item.instrument = index
                item.subject = subject_index
                instruments = [obj] + [self.instruments[i][0] for i in implements]
                item.regulators = [spec.obj for spec in issuers[:3]]
                item.jurisdiction = obj.jurisdiction
                topics += SUBJECTS[subject_index][2]
                if obj.kind in ("national_standard", "industry_standard"):
                    topics.append("standards")
                if obj.jurisdiction.split("-")[0] in EU_COUNTRIES:
                    topics.append("gdpr")
        if kind in ("campaign", "industry", "views"):
            item.subject = rng.randrange(len(SUBJECTS))
            topics += SUBJECTS[item.subject][2]
            if kind == "campaign":
                regulator = self._pick_enforcer(rng, "domestic") if self.regulators else None
                item.regulators = [regulator.obj] if regulator else []
                item.jurisdiction = regulator.obj.jurisdiction if regulator else "CN"
            elif kind == "industry":
                monitor, _cum = self.enforcer_pools.get("monitor", ([], []))
                item.regulators = [rng.choice(monitor).obj] if monitor and rng.random() < 0.5 else []
                org_pool = self.org_pools["CN"] if self.organisations else []
                item.org = rng.choice(org_pool[:200]) if org_pool else None
                item.count = rng.randint(3, 40)
            else:
                item.regulators = []
            if self.instruments and rng.random() < 0.4:
                instruments.append(self.instruments[rng.randrange(len(self.instruments))][0])
        if rng.random() < 0.6:
            topics.append("personal-information")
        item.topics = list(dict.fromkeys(topics))[:4]
        item.instruments = distinct(instruments)[:3]

    def _plan_public_ids(self):
        """EA-<year>-NNNN in decision-date order within each year, after every id already used."""
        highest = Counter()
        for model in (EnforcementAction, EnforcementAction.history.model):
            for public_id in model.objects.values_list("public_id", flat=True).distinct().iterator():
                match = PUBLIC_ID_PATTERN.match(public_id or "")
                if match:
                    year, number = int(match.group(1)), int(match.group(2))
                    highest[year] = max(highest[year], number)
        for year, last_number in PublicIdCounter.objects.values_list("year", "last_number"):
            highest[year] = max(highest[year], last_number)
        order = sorted(range(len(self.actions)), key=lambda i: (self.actions[i].obj.decided_on, i))
        self.public_id_counters = {}
        for index in order:
            obj = self.actions[index].obj
            year = obj.decided_on.year
            highest[year] += 1
            obj.public_id = f"EA-{year}-{highest[year]:04d}"
            self.public_id_counters[year] = highest[year]

    # -- counting (for --dry-run) ---------------------------------------------------------------

    def counts(self):
        """How many rows of each kind the plan will write."""
        return {
            "series": len(self.series),
            "regulators": len(self.regulators),
            "organisations": len(self.organisations),
            "instruments": len(self.instruments),
            "instrument issuers": sum(len(issuers) for _o, _s, issuers, _i in self.instruments),
            "issues": len(self.issues),
            "draft issues": sum(1 for issue, *_rest in self.issues if issue.status == Issue.Status.DRAFT),
            "withdrawn issues": sum(1 for issue, *_rest in self.issues if issue.status == Issue.Status.WITHDRAWN),
            "news items": len(self.items),
            "bilingual items": sum(1 for item in self.items if item.bilingual),
            "sources": sum(item.sources for item in self.items),
            "enforcement actions": len(self.actions),
            "actions with a fine": sum(1 for plan in self.actions if plan.obj.fine_amount is not None),
        }

    # -- writing --------------------------------------------------------------------------------

    def _advance(self, stage, count):
        if self.progress is not None:
            self.progress.set_description(stage)
            self.progress.update(count)

    def total_rows(self):
        return sum(
            len(getattr(self, name))
            for name in ("regulators", "organisations", "instruments", "issues", "items", "actions")
        )

    @one_change_for_all()  # each bulk_create would replace the content version otherwise
    def write(self):
        """Insert the plan. Call inside transaction.atomic(); every insert is a bulk insert."""
        if not self.planned:
            self.plan()
        self.history_date = timezone.now()
        self.vocabulary = self._ensure_vocabulary()
        for stage, step in (
            ("regulators", self._write_regulators),
            ("organisations", self._write_organisations),
            ("instruments", self._write_instruments),
            ("issues", self._write_issues),
            ("news items and sources", self._write_items),
            ("enforcement actions", self._write_actions),
            ("public id counters", self._write_public_id_counters),
        ):
            started, cpu = time.perf_counter(), time.process_time()
            step()
            self.timings[stage] = (time.perf_counter() - started, time.process_time() - cpu)
        content_changed()  # the links' raw inserts send no signals

    def _bulk(self, model, objs):
        return model.objects.bulk_create(objs, batch_size=self.batch_size)

    def _history(self, model, objs):
        """The "created" history records of rows just written (with their links, written first)."""
        record_created(model, [obj.pk for obj in objs], reason=HISTORY_REASON, when=self.history_date)

    def _link(self, relation, pairs):
        """Insert (from id, to id) pairs into the table of an auto-created many-to-many field.

        Such a table only ever has its id and these two columns, and for these tiny rows
        Django's bulk_create spends four times as long preparing values in Python as a
        multi-row INSERT on the same connection does (measured: 200,000 rows cost 4.8 s of CPU
        against 1.2 s on SQLite, 3.5 s against 0.4 s on PostgreSQL).
        """
        through = relation.through
        if not through._meta.auto_created:
            raise TypeError(f"{through} is not an auto-created many-to-many table.")
        if not pairs:
            return
        field = relation.field
        connection = connections[router.db_for_write(through)]
        quote = connection.ops.quote_name
        columns = [field.m2m_column_name(), field.m2m_reverse_name()]
        if relation.reverse:
            columns.reverse()
        # Identifiers come from the model's metadata, quoted; the values go as parameters.
        table = quote(through._meta.db_table)
        statement = f"INSERT INTO {table} ({', '.join(map(quote, columns))}) VALUES "  # noqa: S608
        rows_per_statement = min(self.batch_size, (connection.features.max_query_params or 65535) // 2)
        with connection.cursor() as cursor:
            for start in range(0, len(pairs), rows_per_statement):
                chunk = pairs[start : start + rows_per_statement]
                cursor.execute(statement + ", ".join(["(%s, %s)"] * len(chunk)), [v for pair in chunk for v in pair])

    def _ensure_vocabulary(self):
        """Topics, violations and sections by slug, created (with the seed slugs) when missing."""
        vocab = {}
        wanted = {
            Topic: [Topic(slug=s, name=n, name_zh=z) for s, n, z in TOPICS],
            Violation: [Violation(slug=v[0], name=v[1], name_zh=v[5]) for v in VIOLATIONS],
            Section: [Section(slug=s, name=n, name_zh=z, order=o) for s, n, z, o in SECTIONS],
        }
        for model, objs in wanted.items():
            existing = dict(model.objects.values_list("slug", "pk"))
            missing = [obj for obj in objs if obj.slug not in existing]
            for obj in self._bulk(model, missing):
                existing[obj.slug] = obj.pk
            self._history(model, missing)
            vocab[model] = existing
        return vocab

    def _write_regulators(self):
        for depth in range(max((spec.depth for spec in self.regulators), default=-1) + 1):
            batch = [spec.obj for spec in self.regulators if spec.depth == depth]
            self._bulk(Regulator, batch)
            self._history(Regulator, batch)
            self._advance("regulators", len(batch))

    def _write_organisations(self):
        for depth in (0, 1):
            batch = [spec.obj for spec in self.organisations if spec.depth == depth]
            self._bulk(Organisation, batch)
            self._history(Organisation, batch)
            self._advance("organisations", len(batch))

    def _write_instruments(self):
        objs = [obj for obj, *_rest in self.instruments]
        for start in range(0, len(objs), self.batch_size):
            chunk = objs[start : start + self.batch_size]
            self._bulk(Instrument, chunk)
            self._advance("instruments", len(chunk))
        self._link(Instrument.issuers, [(o.pk, spec.obj.pk) for o, _s, specs, _i in self.instruments for spec in specs])
        self._link(
            Instrument.implements,
            [(o.pk, self.instruments[i][0].pk) for o, _s, _specs, targets in self.instruments for i in targets],
        )
        self._history(Instrument, objs)

    def _write_issues(self):
        self._bulk(Series, self.series)
        self._history(Series, self.series)
        rng = self.rng("issue-summaries")
        objs = []
        for (issue, _weight, _sections), count in zip(self.issues, self.items_per_issue, strict=True):
            if issue.series.slug != "demo-weekly-review":
                subject = lower_phrase(SUBJECTS[rng.randrange(len(SUBJECTS))][0])
                issue.summary = (
                    f"This issue reports {count} developments. Highlights include new rules on *{subject}* "
                    f"and the latest enforcement against apps."
                )
                issue.summary_html = render_markdown(issue.summary)
            objs.append(issue)
        self._bulk(Issue, objs)
        self._history(Issue, objs)
        self._advance("issues", len(objs))

    def _write_items(self):
        rng = self.rng("texts")
        sections = self.vocabulary[Section]
        topics = self.vocabulary[Topic]
        footnotes = Counter()
        for start in range(0, len(self.items), self.batch_size):
            plans = self.items[start : start + self.batch_size]
            objs = [self._build_item(rng, plan, sections[plan.section]) for plan in plans]
            self._bulk(NewsItem, objs)
            sources, regulator_links, instrument_links, topic_links = [], [], [], []
            for plan, obj in zip(plans, objs, strict=True):
                plan.pk = obj.pk
                regulator_links += [(obj.pk, regulator.pk) for regulator in plan.regulators]
                instrument_links += [(obj.pk, instrument.pk) for instrument in plan.instruments]
                topic_links += [(obj.pk, topics[slug]) for slug in plan.topics]
                for index in range(plan.sources):
                    footnotes[plan.issue.pk] += 1
                    number = footnotes[plan.issue.pk]
                    footnote = number if number <= SMALLINT_MAX else None
                    sources.append(self._build_source(rng, plan, obj, footnote, official_allowed=index == 0))
            self._bulk(Source, sources)
            self._link(NewsItem.regulators, regulator_links)
            self._link(NewsItem.instruments, instrument_links)
            self._link(NewsItem.topics, topic_links)
            self._history(NewsItem, objs)
            self._history(Source, sources)
            self._advance("news items", len(objs))

    def _write_actions(self):
        violations = self.vocabulary[Violation]
        for start in range(0, len(self.actions), self.batch_size):
            plans = self.actions[start : start + self.batch_size]
            for plan in plans:
                plan.obj.news_item_id = plan.item.pk
            self._bulk(EnforcementAction, [plan.obj for plan in plans])
            self._link(EnforcementAction.regulators, [(p.obj.pk, r.pk) for p in plans for r in p.regulators])
            self._link(EnforcementAction.legal_basis, [(p.obj.pk, i.pk) for p in plans for i in p.legal_basis])
            self._link(EnforcementAction.violations, [(p.obj.pk, violations[v]) for p in plans for v in p.violations])
            self._history(EnforcementAction, [plan.obj for plan in plans])
            self._advance("enforcement actions", len(plans))

    def _write_public_id_counters(self):
        """Move each year's counter past the ids given out here, so later saves continue after them."""
        existing = dict(PublicIdCounter.objects.values_list("year", "last_number"))
        for year, last_number in self.public_id_counters.items():
            if year in existing:
                if last_number > existing[year]:
                    PublicIdCounter.objects.filter(year=year).update(last_number=last_number)
            else:
                PublicIdCounter.objects.create(year=year, last_number=last_number)

    # -- texts ----------------------------------------------------------------------------------

    def _build_source(self, rng, plan, item, footnote, official_allowed):
        official = plan.regulators[0] if plan.regulators and official_allowed else None
        when = plan.event_date or plan.issue.issued_on
        if official and official.website and rng.random() < 0.6:
            base = official.website.rstrip("/")
            language = "zh" if official.jurisdiction.startswith("CN") else "en"
            return Source(
                news_item=item,
                url=f"{base}/{when:%Y%m}/t{when:%Y%m%d}_{rng.getrandbits(32)}.html",
                label=official.name,
                footnote=footnote,
                language=language,
                is_official=True,
            )
        label, base, language = rng.choice(PRESS)
        return Source(
            news_item=item,
            url=f"{base}{when:%Y%m%d}/{rng.getrandbits(48):012x}.html",
            label=label,
            footnote=footnote,
            language=language,
            is_official=False,
        )

    def _slots(self, plan):
        when, when_zh = when_phrases(plan.event_date, plan.precision)
        slots = {"when": when, "when_zh": when_zh}
        if plan.regulators:
            regulator = plan.regulators[0]
            short = regulator.abbreviation or regulator.name
            intro = f'{regulator.name} ("{regulator.abbreviation}")' if regulator.abbreviation else regulator.name
            slots.update(reg=short, reg_intro=intro, reg_zh=regulator.name_zh or regulator.name)
        if plan.subject is not None:
            subject, subject_zh, _topics = SUBJECTS[plan.subject]
            slots.update(subject=subject, subject_lower=lower_phrase(subject), subject_zh=subject_zh)
        return slots

    def _build_item(self, rng, plan, section_id):
        slots = self._slots(plan)
        body, body_zh = Body(), Body()
        if plan.actions:
            headline, headline_zh = self._enforcement_text(rng, plan, slots, body, body_zh)
            filler = "enforcement"
        elif plan.instrument is not None:
            headline, headline_zh = self._regulation_text(plan, slots, body, body_zh)
            filler = "regulation"
        elif plan.kind == "industry" and plan.org:
            org = plan.org
            slots.update(org=org.obj.name, org_zh=org.name_zh, count=str(plan.count))
            (title, title_zh), lead, lead_zh = rng.choice(INDUSTRY)
            headline, headline_zh = title.format(**slots), title_zh.format(**slots)
            body.paragraph(body.fill(lead, slots))
            body_zh.paragraph(body_zh.fill(lead_zh, slots))
            filler = "general"
        elif plan.kind == "campaign" and plan.regulators:
            (title, title_zh), lead, lead_zh = CAMPAIGN
            headline, headline_zh = title.format(**slots), title_zh.format(**slots)
            body.paragraph(body.fill(lead, slots))
            body_zh.paragraph(body_zh.fill(lead_zh, slots))
            filler = "enforcement"
        else:
            series, series_zh = VIEW_SERIES[plan.subject % len(VIEW_SERIES)]
            number = rng.randrange(len(ROMAN))
            slots.update(
                series=series, series_zh=series_zh, number=ROMAN[number], reg="the regulator", reg_zh="监管部门"
            )
            (title, title_zh), lead, lead_zh = VIEWS
            headline, headline_zh = title.format(**slots), title_zh.replace("{number}", str(number + 1)).format(**slots)
            body.paragraph(body.fill(lead, slots))
            body_zh.paragraph(body_zh.fill(lead_zh, slots))
            filler = "views"
        slots.setdefault("reg", "the regulator")
        slots.setdefault("reg_zh", "监管部门")
        slots.setdefault("subject_lower", "personal information protection")
        slots.setdefault("subject_zh", "个人信息保护")
        fillers = FILLERS[filler] + FILLERS["general"]
        body.paragraph(*(body.fill(p, slots) for p in rng.sample(fillers, rng.randint(1, 3))))
        item = NewsItem(
            issue_id=plan.issue.pk,
            section_id=section_id,
            position=plan.position,
            headline=headline[:500],
            event_date=plan.event_date,
            event_date_precision=plan.precision,
            jurisdiction=plan.jurisdiction,
            body=body.markdown(),
            body_html=body.html(),
        )
        if plan.bilingual:
            body_zh.paragraph(*(body_zh.fill(p, slots) for p in rng.sample(FILLERS_ZH[filler], 1)))
            item.headline_zh = headline_zh[:500]
            item.body_zh = body_zh.markdown()
            item.body_zh_html = body_zh.html()
        return item

    def _action_slots(self, plan, slots):
        obj = plan.obj
        violation = VIOLATION_BY_SLUG[plan.violations[0]] if plan.violations else None
        title, lower, zh = (violation[3], violation[4], violation[5]) if violation else DEFAULT_VIOLATION
        amount = format_amount(obj.fine_amount, obj.currency)
        damages = format_amount(obj.damages_amount, obj.currency)
        sentence_zh = ""
        if obj.sentence:
            numbers = re.findall(r"\d+", obj.sentence)
            if "days" in obj.sentence:
                sentence_zh = f"行政拘留{numbers[0]}日"
            elif "months" in obj.sentence:
                sentence_zh = f"有期徒刑{numbers[0]}个月"
            elif "suspended" in obj.sentence:
                sentence_zh = f"缓刑{numbers[0]}年"
            else:
                sentence_zh = f"有期徒刑{numbers[0]}年"
        return dict(
            slots,
            target=obj.target,
            target_zh=plan.org_name_zh or obj.target,
            violation=lower,
            violation_title=title,
            violation_zh=zh,
            amount=amount,
            amount_zh=chinese_amount(obj.fine_amount, obj.currency),
            damages=damages,
            damages_zh=chinese_amount(obj.damages_amount, obj.currency),
            sentence=obj.sentence,
            sentence_zh=sentence_zh,
        )

    def _enforcement_text(self, rng, plan, slots, body, body_zh):
        first = plan.actions[0]
        action_type = first.obj.action_type
        first_slots = self._action_slots(first, slots)
        headline_template, headline_zh_template = ENFORCEMENT_HEADLINES[action_type]
        if len(plan.actions) == 1:
            headline = headline_template.format(**first_slots)
            headline_zh = headline_zh_template.format(**first_slots)
            verb, verb_zh = ACTION_VERBS[action_type]
            body.paragraph(body.fill(verb, first_slots))
            body_zh.paragraph(body_zh.fill(verb_zh, first_slots))
        else:
            count = len(plan.actions)
            fines = [p.obj.fine_amount for p in plan.actions if p.obj.fine_amount is not None]
            if (
                first.obj.target_count
                and first.obj.organisation is None
                and first.obj.action_type
                not in (
                    "administrative_detention",
                    "criminal_sentence",
                )
            ):
                total_targets = sum(p.obj.target_count or 0 for p in plan.actions)
                noun = first.obj.target.split(" ", 1)[1]
                target, target_zh = (
                    f"{total_targets} {noun.title() if noun != 'SDKs' else noun}",
                    f"{total_targets}个对象",
                )
            elif first.obj.action_type in ("administrative_detention", "criminal_sentence"):
                target, target_zh = f"{count} Defendants", f"{count}名被告人"
            else:
                target, target_zh = f"{count} Companies", f"{count}家企业"
            group = dict(first_slots, target=target, target_zh=target_zh, count=str(count))
            if fines:
                total = sum(fines)
                group.update(
                    amount=f"a Total of {format_amount(total, first.obj.currency)}",
                    amount_zh=f"合计{chinese_amount(total, first.obj.currency)}",
                )
            headline = headline_template.format(**group)
            headline_zh = headline_zh_template.format(**group)
            lead, lead_zh = GROUP_LEAD
            lines = [body.fill(lead, group)]
            for action in plan.actions[:6]:
                lines.append(body.fill(ACTION_OUTCOMES[action_type], self._action_slots(action, slots)))
            if count > 6:
                lines.append(body.fill(GROUP_REST[0], {"rest": str(count - 6)}))
            body.paragraph(*lines)
            body_zh.paragraph(body_zh.fill(lead_zh, group))
        if first.legal_basis:
            law = first.legal_basis[0]
            basis = dict(first_slots, basis=law.title, basis_zh=law.title_zh or law.title)
            body.paragraphs[0].append(body.fill(BASIS[0], basis))
            body_zh.paragraphs[0].append(body_zh.fill(BASIS[1], basis))
        first.obj.summary = (
            ACTION_VERBS[action_type][0]
            .text.format(**dict(first_slots, when="On that day"))
            .replace("On that day, the ", "The ", 1)
        )
        for action in plan.actions[1:]:
            action_slots = self._action_slots(action, dict(slots, when="On that day"))
            action.obj.summary = (
                ACTION_VERBS[action_type][0].text.format(**action_slots).replace("On that day, the ", "The ", 1)
            )
        return headline, headline_zh

    def _regulation_text(self, plan, slots, body, body_zh):
        obj, _subject, issuers, implements = self.instruments[plan.instrument]
        if not plan.regulators:
            slots.update(reg="The regulator", reg_intro="competent regulator", reg_zh="主管部门")
        status = obj.status
        values = dict(slots, title=obj.title, title_zh=obj.title_zh or obj.title)
        (title, title_zh), lead, lead_zh = REGULATION_TEXTS[status]
        headline, headline_zh = title.format(**values), title_zh.format(**values)
        lines, lines_zh = [body.fill(lead, values)], [body_zh.fill(lead_zh, values)]
        if obj.comment_deadline and status == "draft":
            deadline = dict(
                values,
                deadline=english_date(obj.comment_deadline, obj.comment_deadline_precision),
                deadline_zh=chinese_date(obj.comment_deadline, obj.comment_deadline_precision),
            )
            lines.append(body.fill(DEADLINE[0], deadline))
            lines_zh.append(body_zh.fill(DEADLINE[1], deadline))
        if obj.effective_on and status == "adopted":
            effective = dict(
                values,
                effective=english_date(obj.effective_on, obj.effective_on_precision),
                effective_zh=chinese_date(obj.effective_on, obj.effective_on_precision),
            )
            lines.append(body.fill(EFFECTIVE[0], effective))
            lines_zh.append(body_zh.fill(EFFECTIVE[1], effective))
        if implements:
            law = self.instruments[implements[0]][0]
            implemented = dict(values, law=law.title, law_zh=law.title_zh or law.title)
            lines.append(body.fill(IMPLEMENTS[0], implemented))
            lines_zh.append(body_zh.fill(IMPLEMENTS[1], implemented))
        body.paragraph(*lines)
        body_zh.paragraph(*lines_zh)
        return headline, headline_zh


# ---------------------------------------------------------------------------------------------
# Clearing
# ---------------------------------------------------------------------------------------------


def _delete(queryset):
    """Delete rows without loading them: no signals, no history, no per-row queries."""
    return queryset._raw_delete(queryset.db)


def demo_querysets():
    """What --clear removes, each as a queryset."""
    demo_series = Series.objects.filter(slug__startswith=DEMO_PREFIX)
    issues = Issue.objects.filter(series__in=demo_series)
    items = NewsItem.objects.filter(issue__series__slug__startswith=DEMO_PREFIX)
    actions = EnforcementAction.objects.filter(
        Q(news_item__issue__series__slug__startswith=DEMO_PREFIX)
        | Q(news_item__isnull=True, regulators__slug__startswith=DEMO_PREFIX)
    ).distinct()
    return {
        "enforcement actions": actions,
        "sources": Source.objects.filter(news_item__issue__series__slug__startswith=DEMO_PREFIX),
        "news items": items,
        "issues": issues,
        "series": demo_series,
        "organisations": Organisation.objects.filter(slug__startswith=DEMO_PREFIX),
        "instruments": Instrument.objects.filter(slug__startswith=DEMO_PREFIX),
        "regulators": Regulator.objects.filter(slug__startswith=DEMO_PREFIX),
    }


def count_demo_data():
    return {name: queryset.count() for name, queryset in demo_querysets().items()}


@one_change_for_all()
def clear_demo_data():
    """Delete everything the generator made (and only that); call inside transaction.atomic().

    Rows go by bulk DELETE, and their history goes with them (`purge_history`): demo rows are
    not editorial work, and a cleared demo database must not fill the recycle bin with them.
    The public id counters of the years demo actions used are set back to the highest id any
    remaining action, live or in history, has had, so a regenerated demo database gets the
    same ids again and no real id is ever reused.
    """
    querysets = demo_querysets()
    counts = {name: queryset.count() for name, queryset in querysets.items()}
    action_ids = list(querysets["enforcement actions"].values_list("pk", flat=True))
    for name, queryset in querysets.items():
        pks = action_ids if name == "enforcement actions" else list(queryset.values_list("pk", flat=True))
        purge_history(queryset.model, pks)
    years = set()
    for chunk in in_chunks(action_ids):
        for public_id in EnforcementAction.objects.filter(pk__in=chunk).values_list("public_id", flat=True):
            match = PUBLIC_ID_PATTERN.match(public_id)
            if match:
                years.add(int(match.group(1)))
    action_links = [
        EnforcementAction.regulators.through,
        EnforcementAction.legal_basis.through,
        EnforcementAction.violations.through,
    ]
    for chunk in in_chunks(action_ids):
        for through in action_links:
            _delete(through.objects.filter(enforcementaction_id__in=chunk))
        _delete(EnforcementAction.objects.filter(pk__in=chunk))

    demo_items = Q(newsitem__issue__series__slug__startswith=DEMO_PREFIX)
    for through in (NewsItem.regulators.through, NewsItem.instruments.through, NewsItem.topics.through):
        _delete(through.objects.filter(demo_items))
    _delete(querysets["sources"])
    _delete(querysets["news items"])
    _delete(querysets["issues"])
    _delete(querysets["series"])

    Organisation.objects.filter(slug__startswith=DEMO_PREFIX).update(parent=None)
    _delete(Organisation.objects.filter(slug__startswith=DEMO_PREFIX))

    demo_instrument = Q(instrument__slug__startswith=DEMO_PREFIX)
    _delete(NewsItem.instruments.through.objects.filter(demo_instrument))
    _delete(EnforcementAction.legal_basis.through.objects.filter(demo_instrument))
    _delete(Instrument.issuers.through.objects.filter(demo_instrument))
    _delete(
        Instrument.implements.through.objects.filter(
            Q(from_instrument__slug__startswith=DEMO_PREFIX) | Q(to_instrument__slug__startswith=DEMO_PREFIX)
        )
    )
    _delete(Instrument.objects.filter(slug__startswith=DEMO_PREFIX))

    demo_regulator = Q(regulator__slug__startswith=DEMO_PREFIX)
    _delete(NewsItem.regulators.through.objects.filter(demo_regulator))
    _delete(EnforcementAction.regulators.through.objects.filter(demo_regulator))
    _delete(Instrument.issuers.through.objects.filter(demo_regulator))
    Regulator.objects.filter(slug__startswith=DEMO_PREFIX).update(parent=None)
    _delete(Regulator.objects.filter(slug__startswith=DEMO_PREFIX))

    for year in sorted(years):
        highest = 0
        prefix = f"EA-{year}-"
        for model in (EnforcementAction, EnforcementAction.history.model):
            for public_id in model.objects.filter(public_id__startswith=prefix).values_list("public_id", flat=True):
                match = PUBLIC_ID_PATTERN.match(public_id)
                if match:
                    highest = max(highest, int(match.group(2)))
        PublicIdCounter.objects.filter(year=year, last_number__gt=highest).update(last_number=highest)
    content_changed()  # bulk deletes send no signals
    return counts
