"""Made-up texts of a draft and its final version, in Chinese and English, for the tests.

They are test data, written for these tests in the style of Chinese rules: no authority
issued them. From the draft to the final version:
- article 1 (purpose) is reworded;
- a new article 2 (who supervises) is inserted, so the draft's articles 2 and 3 become 3 and 4
  without a word changed (renumbered, not changed);
- the draft's article 4 (a registration duty) is removed;
- the draft's article 5 (penalties) becomes article 5, with a higher fine;
- the last article (entry into force) becomes article 6 and names a date;
- the chapter headings stay between the articles.
"""

DRAFT_ZH = """示例数据处理管理办法（征求意见稿）
（测试数据）
第一章　总则
第一条　为了规范示例数据处理活动，制定本办法。
第二条　数据处理者应当采取必要措施，保障数据安全。
数据处理者应当建立数据安全管理制度。
第三条　本办法所称数据，是指任何以电子方式对信息的记录。
第二章　处理规则
第四条　数据处理者应当在开展处理活动前向主管部门登记。
第五条　违反本办法规定的，由主管部门责令改正，处一万元以下罚款。
第六条　本办法自发布之日起施行。
"""

FINAL_ZH = """示例数据处理管理办法
（测试数据）
第一章　总则
第一条　为了规范示例数据处理活动，保护个人、组织的合法权益，制定本办法。
第二条　国家网信部门负责统筹协调示例数据安全监督管理工作。
第三条　数据处理者应当采取必要措施，保障数据安全。
数据处理者应当建立数据安全管理制度。
第四条　本办法所称数据，是指任何以电子方式对信息的记录。
第二章　处理规则
第五条　违反本办法规定的，由主管部门责令改正，处十万元以下罚款。
第六条　本办法自2030年1月1日起施行。
"""

DRAFT_EN = """Measures for the Administration of Sample Data Processing (Draft for Comment)
(test data)
Chapter I General Provisions
Article 1 These Measures are formulated to regulate sample data processing activities.
Article 2 Data processors shall take necessary measures to ensure data security.
Data processors shall establish a data security management system.
Article 3 For the purposes of these Measures, data means any record of information in electronic form.
Chapter II Processing Rules
Article 4 Data processors shall register with the competent authority before processing.
Article 5 Whoever violates these Measures shall be ordered to rectify and fined up to CNY 10,000.
Article 6 These Measures come into force on the date of publication.
"""

FINAL_EN = """Measures for the Administration of Sample Data Processing
(test data)
Chapter I General Provisions
Article 1 These Measures are formulated to regulate sample data processing activities and protect the lawful
rights and interests of individuals and organisations.
Article 2 The national cyberspace authority coordinates the supervision of sample data security.
Article 3 Data processors shall take necessary measures to ensure data security.
Data processors shall establish a data security management system.
Article 4 For the purposes of these Measures, data means any record of information in electronic form.
Chapter II Processing Rules
Article 5 Whoever violates these Measures shall be ordered to rectify and fined up to CNY 100,000.
Article 6 These Measures come into force on 1 January 2030.
"""
