"""What every kind of demo record draws on: the markers, the period and the shared lists.

Topic, violation and section slugs are those of the seed fixtures and migration, so that
generated rows link to the same vocabulary as the seed issues.
"""

import datetime

from django.utils.text import slugify

from core.dates import DatePrecision

# Generated regulators, instruments, organisations and series have slugs starting with this.
DEMO_PREFIX = "demo-"
PERIOD_START = datetime.date(2020, 1, 1)
PERIOD_END = datetime.date(2025, 12, 31)
# Issue positions and footnote numbers are small integers.
SMALLINT_MAX = 32767

DAY, MONTH, YEAR = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR

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
VIOLATION_WEIGHTS = {v[0]: v[2] for v in VIOLATIONS}
VIOLATION_BY_SLUG = {v[0]: v for v in VIOLATIONS}

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

EU_COUNTRIES = {"EU", "IE", "FR", "DE", "IT", "ES", "NL", "LU"}


def unique_slug(text, taken, max_length=110):
    base = (DEMO_PREFIX + slugify(text))[:max_length].rstrip("-")
    slug, counter = base, 2
    while slug in taken:
        slug = f"{base}-{counter}"
        counter += 1
    taken.add(slug)
    return slug
