"""Demo 代表建议 for one county: a session year of the county congress's suggestions through the
three meetings (三见面), whose statistics reproduce the seed's headline — "督办建议420件,推动解决
问题385个,满意率96.8%" (the seed's 督办 counts every suggestion assigned: 交办) — and a few of a
township congress's (陵江镇), handled by the township government and tracked by its staff.

The session year is this year from April on, else last year: the suggestions are made mostly at
the county congress in January and some between sessions, registered and assigned by the
committee staff, answered by the handling units, evaluated by the public and the lead deputy;
unsatisfied means handled again. Every row is what suggestions.services would have written
(statuses, rounds, numbers, deadlines, versions, the timeline), bulk-created from a seeded random
generator; nothing is dated after today. The statistics (suggestions.statistics) of the year:

- supervised (已交办 and after): 420 = 383 satisfied in the first round (closed, a few only
  evaluated) + 9 re-handled and then satisfied + 13 re-handled and still in their second round
  + 15 not yet evaluated (to accept, in handling — a few overdue, one due within days, one with
  an extension — and replied);
- solved (latest reply A): 371 + 8 + 3 + 3 = 385;
- satisfaction: 392 satisfied or basically satisfied of 405 evaluated = 96.8 %.

The demo logins get their share: the demo deputy leads suggestions at every stage (a draft, one
waiting for registration, one in handling, one replied and waiting for his evaluation, closed
ones); the demo unit has one to accept, one due within 7 days, one overdue and one replied.

Skipped for a county that already has suggestions."""

import contextlib
import datetime
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import Role, User
from core.workdays import add_months, is_workday
from demo.station_work import _deputy_accounts
from demo.suggestion_units import build_unit_side
from deputies.models import DutyRecord
from directory.models import Deputy, HandlingUnit, Level, Region, Station
from stations.models import Opinion, OpinionCategory, OpinionEvent
from suggestions.models import (
    Assignment,
    DeadlineExtension,
    Evaluation,
    EvaluationCode,
    ProgressReport,
    PublicMeeting,
    Reply,
    ReplyCategory,
    Suggestion,
    SuggestionEvent,
)
from suggestions.services import deadline_for

S = Suggestion.Status
C = OpinionCategory
SATISFIED, BASICALLY, UNSATISFIED = (
    Evaluation.Result.SATISFIED,
    Evaluation.Result.BASICALLY,
    Evaluation.Result.UNSATISFIED,
)

# The year's plan: how many suggestions end where, and their latest reply categories.
DONE = 383  # closed (a few only evaluated) in the first round
DONE_REPLIES = {"A": 371, "B": 8, "C": 3, "D": 1}
REHANDLED_DONE = 9  # unsatisfied, handled again, then satisfied
REHANDLED_DONE_REPLIES = {"A": 8, "B": 1}  # of the second round
REHANDLED_OPEN = 9  # unsatisfied, in handling again
REHANDLED_REPLIED = 4  # unsatisfied, replied again, waiting for the deputy's evaluation
REHANDLED_REPLIED_REPLIES = {"A": 3, "B": 1}
# Not yet evaluated (15): to accept, in handling, replied.
OPEN_ASSIGNED = 3
OPEN_DUE_SOON = 2
OPEN_OVERDUE = 3
OPEN_EXTENDED = 1
OPEN_NORMAL = 1
OPEN_COMPLEX = 1
OPEN_REPLIED_REPLIES = ["A", "A", "A", "B"]
# The tail that is never supervised.
DRAFTS = 6
SUBMITTED = 4
REGISTERED = 2
NOT_REGISTERED = 5
CONVERTED = 3

CATEGORY_WEIGHTS = {
    C.ROADS: 20,
    C.WATER: 14,
    C.ELDERLY_MEDICAL: 13,
    C.AGRICULTURE: 12,
    C.EDUCATION: 10,
    C.ENVIRONMENT: 8,
    C.EMPLOYMENT: 7,
    C.SOCIAL_SECURITY: 7,
    C.GOVERNANCE: 5,
    C.OTHER: 4,
}


# A topic: what the deputy saw, what they ask for, who handles it, what a solved reply reports and
# the opinion (as stations record it) it can grow from.
@dataclass(frozen=True)
class Topic:
    title: str
    leads: tuple[str, ...]
    co: tuple[str, ...]
    problem: str
    measures: tuple[str, str, str]
    done: str
    heard: str = ""


TOPICS = {
    C.WATER: [
        Topic(
            "关于解决{village}高处农户饮水压力不足问题的建议",
            ("县水利局",),
            ("县财政局",),
            "{village}地势高差大,现有供水管网末端水压不足,高处农户早晚用水高峰时段经常断水",
            ("在管网末端增设加压泵站", "更换老化的入户主管", "落实供水设施日常管护责任"),
            "新建加压泵站一座、更换主管道3.2公里,高处农户用水恢复正常",
            "三组自来水压力不足,高处农户用水困难",
        ),
        Topic(
            "关于推进{township}农村供水管网延伸工程的建议",
            ("县水利局",),
            ("县财政局", "县发展和改革局"),
            "{township}部分散居农户仍依靠自打水井和山泉水,枯水季节取水困难、水质难以保障",
            (
                "将散居农户纳入农村供水保障工程统筹实施",
                "对确难接入管网的农户配套建设集雨水窖和净化设施",
                "统筹整合涉农资金保障工程建设",
            ),
            "已将该片区纳入农村供水保障工程,管网延伸至散居农户126户",
            "希望延伸安全饮水管网到散居农户",
        ),
        Topic(
            "关于加强{township}集中供水站水质监测的建议",
            ("县水利局", "县城市供排水有限公司"),
            ("县卫生健康局",),
            "{township}集中供水站水质检测频次偏低,雨季出水浑浊,群众对饮水安全存在担忧",
            ("提高水质检测频次", "完善沉淀过滤和消毒设施", "定期向群众公开水质检测结果"),
            "为供水站增配了过滤消毒设备,水质检测改为每月一次并在村务公开栏公示",
        ),
        Topic(
            "关于对{village}老旧蓄水池进行清淤改造的建议",
            ("县水利局",),
            ("县农业农村局",),
            "{village}蓄水池建成二十余年,池底淤积严重、池壁渗漏,蓄水能力大幅下降",
            ("安排专项资金实施清淤和防渗处理", "配套修复引水沟渠", "明确蓄水池管护责任人"),
            "完成蓄水池清淤和防渗改造,蓄水能力恢复到设计水平",
            "蓄水池年久失修需要清淤",
        ),
        Topic(
            "关于建立农村供水工程长效管护机制的建议",
            ("县水利局",),
            ("县财政局", "县城市供排水有限公司"),
            "部分农村供水工程“重建轻管”,管护责任不明确,管网损坏后维修不及时",
            ("明确县、乡、村三级管护责任", "设立农村供水工程维修养护资金", "公布报修电话,限时维修"),
            "出台了农村供水工程运行管护办法,设立维修养护资金并公布了报修电话",
        ),
    ],
    C.ROADS: [
        Topic(
            "关于硬化{village}通组道路的建议",
            ("县交通运输局",),
            ("县财政局",),
            "{village}通组道路仍为泥结石路面,雨天泥泞难行,农产品运输和群众出行十分不便",
            (
                "将该路段纳入年度农村公路建设计划",
                "采取以奖代补方式发动群众投工投劳",
                "同步完善排水边沟",
            ),
            "已完成通组道路硬化2.6公里,并同步修建了排水边沟",
            "村道雨天泥泞,希望硬化",
        ),
        Topic(
            "关于在{township}场镇急弯路段增设安全护栏的建议",
            ("县交通运输局",),
            ("县公安局",),
            "{township}场镇入口急弯路段临崖临水,缺少护栏和警示标志,近年多次发生险情",
            (
                "增设波形护栏和减速带",
                "设置急弯警示标志和反光镜",
                "将该路段纳入公路安全生命防护工程",
            ),
            "在急弯路段安装波形护栏460米,设置了警示标志和凸面反光镜",
            "通组路缺少护栏,存在安全隐患",
        ),
        Topic(
            "关于增开{township}赶场天农村客运班次的建议",
            ("县交通运输局",),
            (),
            "{township}赶场天往返县城的客运班次少,群众候车时间长,部分群众乘坐无资质车辆",
            ("赶场天增开往返县城的客运班次", "推行预约响应式客运服务", "加强非法营运车辆整治"),
            "赶场天增开往返班次4趟,并开通了电话预约响应式客运",
            "希望增开赶场天的农村客运班次",
        ),
        Topic(
            "关于加快{township}至县城公路改造进度的建议",
            ("县交通运输局",),
            ("县发展和改革局", "县自然资源和规划局"),
            "{township}至县城公路路面破损、坑槽较多,改造工程进度滞后,影响群众出行和产业发展",
            ("加快项目前期工作和资金筹措", "施工期间做好交通疏导", "对破损路段先行修补"),
            "已完成破损路段修补,改造工程主体完工并恢复通行",
        ),
        Topic(
            "关于整治{township}场镇交通秩序、增设停车位的建议",
            ("县公安局", "县交通运输局"),
            ("县综合行政执法局",),
            "{township}场镇逢场天车辆乱停乱放,道路拥堵,缺少规范的停车场所",
            ("利用场镇闲置地块建设临时停车场", "逢场天安排警力疏导交通", "规范施划停车泊位"),
            "利用闲置地块建成临时停车场一处、施划停车泊位120个,逢场天安排警力疏导",
        ),
        Topic(
            "关于维修{village}危桥的建议",
            ("县交通运输局",),
            ("县应急管理局",),
            "{village}连接两个村民小组的便民桥桥面开裂、栏杆缺失,群众和学生每天经过存在安全隐患",
            ("尽快对危桥进行检测评定", "实施加固维修并补齐栏杆", "维修期间设置警示标志和临时便道"),
            "经检测评定后实施了加固维修,补齐了桥梁栏杆",
        ),
    ],
    C.ELDERLY_MEDICAL: [
        Topic(
            "关于加强{township}中心卫生院医疗设备配置的建议",
            ("县卫生健康局",),
            ("县财政局",),
            "{township}中心卫生院缺少彩超、DR等常用检查设备,群众小病也要到县城检查",
            ("为中心卫生院配置彩超和DR设备", "组织县级医院医生定期坐诊", "加强设备操作人员培训"),
            "为中心卫生院配置了彩超和DR各一台,县人民医院每周派医生坐诊",
        ),
        Topic(
            "关于为{village}留守老人开展上门健康体检的建议",
            ("县卫生健康局",),
            ("县民政局",),
            "{village}留守老人多,行动不便,难以按时到乡镇卫生院参加健康体检",
            ("组织家庭医生团队上门体检", "为行动不便老人建立健康档案", "定期开展慢性病随访"),
            "组织家庭医生团队为留守老人上门体检并建立了健康档案",
            "希望开展老年人上门体检",
        ),
        Topic(
            "关于完善{township}日间照料中心服务功能的建议",
            ("县民政局",),
            ("县卫生健康局",),
            "{township}日间照料中心设施简陋、服务项目单一,老年人参与意愿不高",
            ("增配康复和文体活动设施", "引入专业社会组织运营", "开设老年助餐服务"),
            "为日间照料中心增配了康复器材,并引入社会组织开设助餐服务",
            "日间照料中心活动设施不足",
        ),
        Topic(
            "关于推进{township}医养结合服务向村(社区)延伸的建议",
            ("县卫生健康局", "县民政局"),
            ("县医疗保障局",),
            "农村失能、半失能老人照护需求大,现有医养结合机构主要集中在县城和中心场镇",
            (
                "依托村卫生室设立医养结合服务点",
                "推动乡镇卫生院与敬老院签约合作",
                "将符合条件的服务纳入医保支付",
            ),
            "乡镇卫生院与敬老院签订了医养结合协议,设立村级服务点3个",
        ),
        Topic(
            "关于保障{village}卫生室常用药品供应的建议",
            ("县卫生健康局",),
            ("县医疗保障局",),
            "{village}卫生室常用慢性病药品经常断供,老年人需往返乡镇购药",
            ("建立村卫生室药品配送机制", "扩大村卫生室慢性病用药目录", "推行乡镇卫生院代购代送"),
            "建立了村卫生室药品统一配送机制,常用慢性病药品已足量供应",
            "村卫生室缺少常用药品",
        ),
    ],
    C.EDUCATION: [
        Topic(
            "关于优化{township}校车接送时间的建议",
            ("县教育局",),
            ("县交通运输局",),
            "{township}校车接送时间与学校放学时间不衔接,学生在校门口长时间等候",
            ("调整校车运行时刻与作息时间衔接", "增加高峰时段校车趟次", "安排教师值守候车学生"),
            "调整了校车运行时刻并在放学高峰增开一趟,学生候车时间明显缩短",
            "校车接送时间与放学时间不衔接",
        ),
        Topic(
            "关于在{township}小学开展课后托管服务的建议",
            ("县教育局",),
            (),
            "{township}小学留守儿童多,放学后无人看管,家长希望学校开展课后托管",
            ("开展校内课后托管服务", "统筹安排教师和志愿者参与", "对困难家庭学生减免托管费用"),
            "学校已开设课后托管服务,困难家庭学生免费参加",
            "希望学校增设课后托管",
        ),
        Topic(
            "关于改善{township}乡村学校教师周转房条件的建议",
            ("县教育局",),
            ("县住房和城乡建设局", "县财政局"),
            "{township}乡村学校教师周转房不足且年久失修,影响青年教师扎根乡村",
            ("新建一批教师周转宿舍", "对现有周转房进行维修改造", "落实乡村教师生活补助"),
            "完成了教师周转房维修改造,新建周转宿舍12套",
        ),
        Topic(
            "关于加强{township}农村留守儿童心理健康教育的建议",
            ("县教育局",),
            ("县民政局", "县卫生健康局"),
            "农村留守儿童心理健康问题日益突出,学校缺少专职心理健康教师",
            ("配齐心理健康教育专兼职教师", "建立留守儿童心理健康档案", "开展家校共育活动"),
            "为学校配备了兼职心理教师并建立了留守儿童心理健康档案",
        ),
    ],
    C.EMPLOYMENT: [
        Topic(
            "关于在{township}开展猕猴桃种植管护技能培训的建议",
            ("县人力资源和社会保障局", "县农业农村局"),
            (),
            "{township}猕猴桃种植户多,但修剪、授粉、病害防治等技术掌握不足,产量和品质不稳定",
            ("组织专家到村开展田间培训", "培养一批本土技术能手", "建立技术服务微信群及时答疑"),
            "组织专家到村开展田间培训6期、培训果农420人次",
            "希望开展猕猴桃种植技术培训",
        ),
        Topic(
            "关于简化返乡青年创业担保贷款手续的建议",
            ("县人力资源和社会保障局",),
            ("县财政局",),
            "返乡青年申请创业担保贷款材料多、审批周期长,错过生产季节",
            ("精简申请材料", "推行线上申请和一站式办理", "明确审批时限"),
            "精简申请材料5项,推行一站式办理,审批时限压缩至10个工作日",
            "返乡青年创业贷款手续繁琐",
        ),
        Topic(
            "关于在{township}建设就业帮扶车间的建议",
            ("县人力资源和社会保障局", "县经济信息化和科技局"),
            ("县商务和经济合作局",),
            "{township}留守妇女和大龄劳动力就近就业渠道少,家庭增收困难",
            ("引进劳动密集型企业建设帮扶车间", "落实帮扶车间场地和用工补贴", "开展订单式技能培训"),
            "引进企业建成就业帮扶车间一个,吸纳当地群众就业58人",
        ),
        Topic(
            "关于加强农民工欠薪问题源头治理的建议",
            ("县人力资源和社会保障局",),
            ("县住房和城乡建设局", "县人民法院"),
            "部分建设项目存在拖欠农民工工资问题,农民工维权成本高",
            ("全面落实工资专用账户和保证金制度", "开通欠薪投诉绿色通道", "加大欠薪案件查处力度"),
            "开展了根治欠薪专项行动,在建项目全部落实工资专用账户",
        ),
    ],
    C.SOCIAL_SECURITY: [
        Topic(
            "关于规范{township}低保动态管理、及时公示复核结果的建议",
            ("县民政局",),
            (),
            "部分村低保复核结果公示不及时,群众对评定过程存在疑问",
            ("严格执行低保评议公示制度", "按季度开展动态复核", "畅通群众监督举报渠道"),
            "督促各村按季度公示低保复核结果,并公布了监督举报电话",
            "低保复核结果希望及时公示",
        ),
        Topic(
            "关于固定残疾人两项补贴发放时间的建议",
            ("县民政局",),
            ("县财政局",),
            "残疾人两项补贴发放时间不固定,困难群众难以合理安排生活开支",
            ("固定每月补贴发放日期", "发放前短信告知", "简化补贴资格认定手续"),
            "残疾人两项补贴已固定为每月10日发放,并短信告知到人",
            "残疾人补贴发放时间不固定",
        ),
        Topic(
            "关于提高城乡居民医保参保缴费便利度的建议",
            ("县医疗保障局",),
            ("县人力资源和社会保障局",),
            "农村老年人不会使用手机缴费,城乡居民医保参保缴费仍需多次往返",
            ("在村便民服务点设立代缴窗口", "组织网格员上门协助缴费", "延长集中缴费期"),
            "在村便民服务点开通了医保代缴服务,网格员上门协助老年人缴费",
        ),
        Topic(
            "关于加强{township}退役军人服务站建设的建议",
            ("县退役军人事务局",),
            (),
            "{township}退役军人服务站人员兼职多、服务功能不健全",
            ("配齐服务站专职工作人员", "完善政策咨询和帮扶援助功能", "建立退役军人信息台账"),
            "为服务站配备了专职工作人员,完善了政策咨询和帮扶援助功能",
        ),
    ],
    C.ENVIRONMENT: [
        Topic(
            "关于提高{township}生活垃圾清运频次的建议",
            ("县综合行政执法局",),
            ("县住房和城乡建设局",),
            "{township}场镇和沿线村组垃圾收集点清运不及时,夏季异味明显",
            ("夏季加密垃圾清运频次", "增设垃圾收集点和密闭式垃圾箱", "落实保洁员考核"),
            "夏季清运频次由每周两次调整为每日一次,增设密闭式垃圾箱40个",
            "垃圾清运不及时",
        ),
        Topic(
            "关于整治{village}养殖场异味污染的建议",
            ("广元市苍溪生态环境局",),
            ("县农业农村局",),
            "{village}规模养殖场粪污处理设施不完善,异味影响周边住户生活",
            ("督促养殖场完善粪污处理设施", "推广种养循环资源化利用", "加强日常执法监管"),
            "督促养殖场新建了粪污处理设施,并实现种养循环利用",
            "养殖场异味影响周边住户",
        ),
        Topic(
            "关于加强嘉陵江{township}段岸线保护的建议",
            ("广元市苍溪生态环境局", "县水利局"),
            ("县自然资源和规划局",),
            "嘉陵江{township}段岸线存在乱堆乱放现象,汛期影响行洪安全",
            ("开展岸线清理整治专项行动", "落实河长巡河责任", "设立岸线保护警示标牌"),
            "开展了岸线清理整治,清理堆放物1200余立方米并设立警示标牌",
        ),
        Topic(
            "关于推进{township}场镇污水管网建设的建议",
            ("县住房和城乡建设局",),
            ("广元市苍溪生态环境局", "县城市供排水有限公司"),
            "{township}场镇污水管网覆盖不全,部分生活污水直排河沟",
            ("加快场镇污水管网建设", "实施雨污分流改造", "加强污水处理站运行监管"),
            "新建场镇污水管网2.1公里,完成雨污分流改造",
        ),
        Topic(
            "关于加强{township}森林防火基础设施建设的建议",
            ("县林业局",),
            ("县应急管理局",),
            "{township}林区面积大,防火通道和取水点不足,护林员装备简陋",
            ("新建防火通道和取水点", "为护林员配备扑火装备", "完善火情监测预警设施"),
            "新建防火通道8公里、取水点4处,为护林员配发了扑火装备",
        ),
    ],
    C.AGRICULTURE: [
        Topic(
            "关于疏浚{village}灌溉渠道、保障春耕用水的建议",
            ("县水利局", "县农业农村局"),
            (),
            "{village}灌溉渠道多年未清淤,部分渠段垮塌,春耕时节农田灌溉困难",
            ("安排资金对渠道清淤整治", "修复垮塌渠段", "落实渠道日常管护"),
            "完成渠道清淤3.5公里、修复垮塌渠段200米,春耕用水得到保障",
            "灌溉渠道堵塞影响春耕",
        ),
        Topic(
            "关于为{township}果农统一采购优质猕猴桃苗木的建议",
            ("县农业农村局",),
            ("县市场监督管理局",),
            "群众自行购买的猕猴桃苗木品种混杂、质量参差不齐,部分果园溃疡病多发",
            ("统一采购脱毒健康苗木", "加强苗木市场监管", "开展溃疡病统防统治"),
            "统一采购脱毒苗木4.6万株并开展了溃疡病统防统治",
            "希望统一采购优质猕猴桃苗木",
        ),
        Topic(
            "关于加强{village}高标准农田建成后管护的建议",
            ("县农业农村局",),
            ("县财政局",),
            "部分高标准农田建成后管护主体不明确,沟渠、机耕道损坏后无人维修",
            ("明确高标准农田管护主体", "落实管护经费", "建立损毁设施报修机制"),
            "明确了村集体为管护主体并落实管护经费,损毁设施已修复",
        ),
        Topic(
            "关于扶持{township}雪梨产业提质增效的建议",
            ("县农业农村局",),
            ("县商务和经济合作局",),
            "{township}苍溪雪梨果园老化、品种退化,销售渠道单一,果农收益下降",
            ("实施老果园改造和品种更新", "加强技术指导", "拓展电商和订单销售渠道"),
            "实施老果园改造800亩,并组织果农对接电商平台",
        ),
        Topic(
            "关于防治{village}野猪危害农作物的建议",
            ("县林业局",),
            ("县农业农村局",),
            "{village}野猪频繁出没,玉米、红薯等农作物损毁严重,群众防范手段有限",
            ("组建专业狩猎队依法开展种群调控", "推广物理防护措施", "完善野生动物致害补偿"),
            "组建了专业狩猎队开展种群调控,并对受损农户给予补偿",
        ),
    ],
    C.GOVERNANCE: [
        Topic(
            "关于规范{village}村务公开栏更新的建议",
            ("县民政局",),
            (),
            "{village}村务公开栏内容更新不及时,群众关心的财务和项目信息公开不够",
            ("建立村务公开定期更新制度", "重点公开财务和项目信息", "开通线上村务公开渠道"),
            "督促村务公开栏按月更新,并开通了线上村务公开",
            "希望村务公开栏及时更新",
        ),
        Topic(
            "关于加强{township}场镇“天网”监控建设的建议",
            ("县公安局",),
            ("县财政局",),
            "{township}场镇和主要路口监控点位不足,部分设备老化失灵",
            ("增设重点路口监控点位", "更换老化失灵设备", "落实设备维护责任"),
            "新增监控点位16个,更换老化设备9台",
        ),
        Topic(
            "关于加强{township}矛盾纠纷多元化解的建议",
            ("县人民法院", "县民政局"),
            ("县公安局",),
            "农村土地、邻里纠纷增多,基层调解力量不足,部分纠纷久拖不决",
            ("整合人民调解、行政调解和司法调解力量", "在乡镇设立巡回法庭", "加强调解员业务培训"),
            "在乡镇设立了巡回审判点,建立诉调对接机制",
        ),
        Topic(
            "关于加强未成年人司法保护的建议",
            ("县人民检察院",),
            ("县教育局", "县公安局"),
            "农村留守未成年人权益保护意识薄弱,校园周边安全隐患仍然存在",
            ("开展法治进校园活动", "加强校园周边环境整治", "建立侵害未成年人案件强制报告制度"),
            "开展法治进校园活动32场,会同相关部门整治校园周边环境",
        ),
    ],
    C.OTHER: [
        Topic(
            "关于改造{village}老旧供电线路的建议",
            ("国网苍溪县供电公司",),
            (),
            "{village}供电线路老化、电压不稳,夏季用电高峰频繁跳闸",
            ("将该村纳入农网改造计划", "增容配电变压器", "更换老化线路"),
            "新增配电变压器一台、更换老化线路4.2公里,电压恢复稳定",
        ),
        Topic(
            "关于加强{township}红色文化遗址保护利用的建议",
            ("县文化广播电视和旅游局",),
            ("县退役军人事务局",),
            "{township}红军遗址遗迹缺少保护标识,部分旧址年久失修",
            ("设立保护标识", "对年久失修旧址进行抢救性修缮", "开发红色研学线路"),
            "为遗址设立了保护标识,完成两处旧址的抢救性修缮",
        ),
        Topic(
            "关于规范{township}集贸市场管理的建议",
            ("县市场监督管理局",),
            ("县综合行政执法局",),
            "{township}集贸市场占道经营、缺斤短两现象时有发生",
            ("规范划行归市", "设立公平秤", "加强日常巡查执法"),
            "对集贸市场划行归市并设立公平秤,开展了专项整治",
        ),
        Topic(
            "关于排查整治{township}地质灾害隐患点的建议",
            ("县应急管理局", "县自然资源和规划局"),
            (),
            "{township}部分农房背后边坡存在滑坡隐患,雨季群众担忧",
            ("开展地质灾害隐患排查", "对重点隐患点实施工程治理", "落实群测群防监测员"),
            "完成隐患排查和两处边坡的工程治理,落实了群测群防监测员",
        ),
    ],
}
CONCERNS = [
    "群众反映强烈,希望尽快解决。",
    "群众多次在代表接待日反映,是当地群众的急难愁盼问题。",
    "这一问题影响群众生产生活,群众期盼早日解决。",
]
MEETING_SUMMARIES = [
    "群众集中反映:{heard}。希望代表在人代会上提出建议,推动解决。",
    "代表召开院坝会听取意见,群众反映:{heard}。大家对建议内容提出了补充意见。",
    "代表入户走访并与群众座谈,群众反映:{heard}。",
]
REPORT_FEEDBACK = [
    "承办单位现场通报了办理方案和时间安排,群众表示认可。",
    "群众希望加快施工进度,承办单位当场作出回应并明确完成时限。",
    "群众对办理进展表示满意,并就后续管护提出了意见。",
    "承办单位介绍了资金落实情况,群众代表现场查看了施工情况。",
]
NOT_REGISTERED_REASONS = [
    "所提事项属于个人诉求,不属于代表建议范围,建议通过信访渠道反映。",
    "内容与已登记的建议重复,作为参考意见并入同类建议办理。",
    "所提事项已由人民法院依法裁判,不宜作为代表建议办理。",
    "建议内容较为原则,未提出明确的问题和措施,作为参考意见转有关单位研究参考。",
    "所提事项属于村民自治范围,建议由村民委员会依法协商解决。",
]
CONVERTED_REASONS = [
    "所提事项为具体的群众诉求,由代表所在家站作为群众意见受理转办更为直接。",
    "所提事项涉及个别群众的具体困难,转为群众意见由家站跟踪办理。",
]
EXTENSION_REASONS = [
    "涉及多个部门协调,需延期办理。",
    "所需资金须按程序申报审批,申请延期办理。",
    "实施方案须按程序论证和公示,申请延期办理。",
]
DEPUTY_COMMENTS = {
    SATISFIED: ["办理态度认真,问题得到解决。", "承办单位主动沟通,办理效果好。", ""],
    BASICALLY: ["问题已有明显改善,希望持续跟进。", "答复基本符合实际,后续管护需加强。"],
    UNSATISFIED: [
        "答复与实际情况不符,问题仍未解决,要求重新办理。",
        "仅作解释说明,没有提出具体解决措施。",
        "承办单位未与代表和群众沟通,办理流于形式。",
    ],
}
PUBLIC_COMMENTS = ["", "", "", "希望尽快落实。", "感谢代表和承办单位。", "效果还要再看看。"]
# The demo deputy's suggestions, one field each (his replied one is the demo unit's roads).
DEMO_DEPUTY_TOPICS = {
    "done": C.WATER,
    "rehandled_done": C.ELDERLY_MEDICAL,
    "open_normal": C.EDUCATION,
    "draft": C.AGRICULTURE,
    "submitted": C.ENVIRONMENT,
}
FIRST_DAY_AFTER_SESSION = 20  # suggestions made later were made between sessions


def session_year(today: datetime.date) -> int:
    """The year whose session's suggestions the demo shows: this year once the first quarter
    has passed, else last year (a session's suggestions need time to be handled)."""
    return today.year if today.month > 3 else today.year - 1


def build_suggestions(county: Region, *, seed: int = 0, today: datetime.date | None = None) -> bool:
    """Build the county's year of suggestions — the county congress's, then a township
    congress's few (the demo township staff's); False (and nothing written) when the county
    already has suggestions, or has no county deputies or handling units to make them."""
    if Suggestion.objects.filter(county=county).exists():
        return False
    today = today or timezone.localdate()
    if not _Builder(county, seed=seed, today=today).build():
        return False
    _TownshipBuilder(county, seed=seed, today=today).build()
    return True


@dataclass
class _Plan:
    kind: str
    category: str = ""
    topic: Topic | None = None
    title: str = ""
    lead: Deputy | None = None
    units: list[HandlingUnit] = field(default_factory=list)  # lead first
    replies: list[str] = field(default_factory=list)  # reply category codes by round
    is_complex: bool = False
    key: bool = False
    extension: bool = False
    late: bool = False
    close: bool = True


class _Record:
    """One suggestion and everything written about it, before saving."""

    def __init__(self, builder: "_Builder", plan: _Plan, suggestion: Suggestion):
        self.b = builder
        self.plan = plan
        self.s = suggestion
        self.status = ""
        self.round = 1
        self.version = 1
        self.last_at: datetime.datetime | None = None
        self.events: list[tuple[SuggestionEvent, datetime.datetime]] = []
        self.meetings: list[PublicMeeting] = []
        self.assignments: list[Assignment] = []
        self.reports: list[ProgressReport] = []
        self.replies: list[Reply] = []
        self.codes: list[tuple[EvaluationCode, datetime.datetime]] = []
        self.evaluations: list[tuple[Evaluation, EvaluationCode | None, datetime.datetime]] = []
        self.extensions: list[DeadlineExtension] = []
        self.co_signers: list[int] = []
        self.opinions: list[int] = []
        self.submitted_on: datetime.date | None = None
        self.registered_at: datetime.datetime | None = None
        self.converted_at: datetime.datetime | None = None
        self.pending_codes: list[EvaluationCode] = []

    def stamp(self, date: datetime.date, hours: tuple[int, int] = (8, 17)) -> datetime.datetime:
        rng = self.b.rng
        at = _aware(date, rng.randint(*hours), rng.randint(0, 59))
        if self.last_at and at <= self.last_at:
            at = self.last_at + datetime.timedelta(minutes=rng.randint(3, 40))
        self.last_at = at
        return at

    def event(self, date, to_status, actor, note="", *, bump=True) -> datetime.datetime:
        at = self.stamp(date)
        self.events.append(
            (
                SuggestionEvent(
                    actor=actor,
                    from_status=self.status,
                    to_status=to_status,
                    round=self.round,
                    note=note,
                ),
                at,
            )
        )
        self.status = to_status
        self.version += bump
        return at


class _Builder:
    def __init__(self, county: Region, *, seed: int, today: datetime.date):
        self.county = county
        self.today = today
        self.limit = today - datetime.timedelta(days=1)  # nothing happens later than yesterday
        self.rng = random.Random(f"suggestions-{county.code}-{seed}")
        self.congress_level = Suggestion.Congress.COUNTY
        self.congress = county
        self.year = session_year(today)
        self.session = datetime.date(self.year, 1, 12)  # the county congress's yearly session
        self.register_day = _workday(self.session + datetime.timedelta(days=9))
        self.assign_day = _workday(self.session + datetime.timedelta(days=38))  # 交办会
        self.interim_start = self.session + datetime.timedelta(days=FIRST_DAY_AFTER_SESSION)
        # Between sessions, made by mid-December so that they belong to the session year.
        self.latest_assign = min(self.limit, datetime.date(self.year, 12, 20))

    # Loading ----------------------------------------------------------------------------------

    def _load(self) -> bool:
        county = self.county
        deputies = list(
            Deputy.objects.filter(station__county=county)
            .with_active_level(Level.COUNTY)
            .select_related("station__township", "station__village")
            .order_by("pk")
        )
        units = {u.name: u for u in HandlingUnit.objects.filter(county=county, is_active=True)}
        if not deputies or not units:
            return False
        self.units = units
        by_station: dict[int, list[Deputy]] = {}
        self.by_township: dict[int, list[Deputy]] = {}
        for deputy in deputies:
            by_station.setdefault(deputy.station_id, []).append(deputy)
            self.by_township.setdefault(deputy.station.township_id, []).append(deputy)
        self.deputy_users = _deputy_accounts(county, by_station)
        self.unit_users = _unit_accounts(county, list(units.values()))
        self.staff = (
            User.objects.filter(role=Role.COMMITTEE_STAFF, county=county, is_active=True)
            .order_by("pk")
            .first()
        )
        self.leaders = list(
            User.objects.filter(
                role__in=(Role.COMMITTEE_MEMBER, Role.COMMITTEE_STAFF),
                county=county,
                is_active=True,
            ).order_by("pk")
        )
        demo_deputy_user = User.objects.filter(
            username="deputy", role=Role.DEPUTY, deputy__station__county=county
        ).first()
        self.demo_deputy = next(
            (d for d in deputies if demo_deputy_user and d.pk == demo_deputy_user.deputy_id),
            None,
        )
        demo_unit_user = User.objects.filter(
            username="unit", role=Role.HANDLING_UNIT, handling_unit__county=county
        ).first()
        self.demo_unit = demo_unit_user.handling_unit if demo_unit_user else None
        self.deputies = [d for d in deputies if d != self.demo_deputy]
        self.used_titles: set[str] = set()
        self.categories = {c.code: c for c in ReplyCategory.objects.all()}
        # When each opinion was heard: the reception day's date where there is one (it is what
        # the deputy saw), else the date it was registered.
        self.opinions: dict[int, list[tuple[datetime.date, str, int]]] = {}
        heard = {topic.heard for topics in TOPICS.values() for topic in topics if topic.heard}
        for pk, station_id, content, created_at, heard_on in (
            Opinion.objects.filter(county=county, station__isnull=False, content__in=heard)
            .order_by("pk")
            .values_list(
                "pk", "station_id", "content", "created_at", "reception__reception_day__date"
            )
        ):
            self.opinions.setdefault(station_id, []).append(
                (heard_on or timezone.localdate(created_at), content, pk)
            )
        return True

    # Planning ---------------------------------------------------------------------------------

    def _plans(self) -> list[_Plan]:
        rng = self.rng
        plans: list[_Plan] = []
        demo_unit = self.demo_unit.name if self.demo_unit else None
        demo = self.demo_deputy

        def codes(counts: dict[str, int]) -> list[str]:
            out = [code for code, n in counts.items() for _ in range(n)]
            rng.shuffle(out)
            return out

        done_codes = codes(DONE_REPLIES)
        if demo:  # the demo deputy's closed suggestion was solved
            done_codes.remove("A")
            done_codes.insert(0, "A")
        for i, code in enumerate(done_codes):
            plan = self._plan("done", lead=demo if demo and i == 0 else None)
            plan.replies = [code]
            plan.is_complex = rng.random() < 0.05
            plan.extension = not plan.is_complex and rng.random() < 0.015
            plan.late = not plan.extension and rng.random() < 0.03
            plan.close = rng.random() < 0.97
            plans.append(plan)
        second = codes(REHANDLED_DONE_REPLIES)
        for i, code in enumerate(second):
            plan = self._plan("rehandled_done", lead=demo if demo and i == 0 else None)
            plan.replies = [rng.choice("BCCD"), code]
            plan.is_complex = rng.random() < 0.3
            plan.close = i != len(second) - 1
            plans.append(plan)
        for _ in range(REHANDLED_OPEN):
            plan = self._plan("rehandled_open")
            plan.replies = [rng.choice("BCCD")]
            plans.append(plan)
        for code in codes(REHANDLED_REPLIED_REPLIES):
            plan = self._plan("rehandled_replied")
            plan.replies = [rng.choice("BCD"), code]
            plans.append(plan)
        # Not yet evaluated: the demo unit gets one of each open stage, the demo deputy his
        # replied suggestion (handled by the demo unit) and one in handling.
        for i in range(OPEN_ASSIGNED):
            plans.append(self._plan("open_assigned", unit=demo_unit if i == 0 else None))
        for i in range(OPEN_DUE_SOON):
            plans.append(self._plan("open_due_soon", unit=demo_unit if i == 0 else None))
        for i in range(OPEN_OVERDUE):
            plans.append(self._plan("open_overdue", unit=demo_unit if i == 0 else None))
        for _ in range(OPEN_EXTENDED):
            plans.append(self._plan("open_extended"))
        for _ in range(OPEN_NORMAL):
            plans.append(self._plan("open_normal", lead=demo))
        for _ in range(OPEN_COMPLEX):
            plan = self._plan("open_normal")
            plan.is_complex = True
            plans.append(plan)
        for i, code in enumerate(OPEN_REPLIED_REPLIES):
            first = i == 0
            plan = self._plan(
                "open_replied", lead=demo if first else None, unit=demo_unit if first else None
            )
            plan.replies = [code]
            plans.append(plan)
        # The tail.
        for kind, count in (
            ("draft", DRAFTS),
            ("submitted", SUBMITTED),
            ("registered", REGISTERED),
            ("not_registered", NOT_REGISTERED),
            ("converted", CONVERTED),
        ):
            for i in range(count):
                demo_lead = demo if demo and i == 0 and kind in ("draft", "submitted") else None
                plans.append(self._plan(kind, lead=demo_lead))
        # Key supervision (重点督办) by a committee leader: mostly the complex ones.
        for plan in plans:
            chance = 0.6 if plan.is_complex else 0.015 if plan.kind == "done" else 0.1
            plan.key = bool(self.leaders) and rng.random() < chance
        return plans

    def _plan(self, kind: str, *, lead: Deputy | None = None, unit: str | None = None) -> _Plan:
        rng = self.rng
        chosen = DEMO_DEPUTY_TOPICS.get(kind) if lead and lead == self.demo_deputy else None
        for _attempt in range(30):  # a title nobody used yet, if there is one
            if unit:
                category, topic = self._topic_for_unit(unit)
            elif chosen:
                category, topic = chosen, rng.choice(TOPICS[chosen])
            else:
                weights = CATEGORY_WEIGHTS.values()
                category = rng.choices(list(CATEGORY_WEIGHTS), weights=weights)[0]
                topic = rng.choice(TOPICS[category])
            deputy = lead or rng.choice(self.deputies)
            title = topic.title.format(**_place(deputy))
            if title not in self.used_titles:
                break
        self.used_titles.add(title)
        lead_names = [unit] if unit else topic.leads
        lead_unit = self._unit(rng.choice(lead_names))
        co_names = [n for n in topic.co if n != lead_unit.name]
        township = deputy.station.township.name
        government = f"{township}人民政府"
        if government in self.units and rng.random() < 0.5 and government != lead_unit.name:
            co_names.append(government)
        co = rng.sample(co_names, k=min(len(co_names), rng.choices((0, 1, 2), (45, 40, 15))[0]))
        units = [lead_unit, *(self.units[n] for n in co if n in self.units)]
        return _Plan(
            kind=kind, category=category, topic=topic, title=title, lead=deputy, units=units
        )

    def _topic_for_unit(self, unit: str) -> tuple[str, Topic]:
        for category, topics in TOPICS.items():
            matching = [t for t in topics if unit in t.leads]
            if matching:
                return category, self.rng.choice(matching)
        category = self.rng.choice(list(TOPICS))
        return category, self.rng.choice(TOPICS[category])

    def _unit(self, name: str) -> HandlingUnit:
        return self.units.get(name) or self.units[sorted(self.units)[0]]

    # Realizing a plan -------------------------------------------------------------------------

    def build(self) -> bool:
        if not self._load():
            return False
        records = [self._realize(plan) for plan in self._plans()]
        self._link_opinions(records)
        self._number(records)
        self._save(records)
        build_unit_side(self, records)
        return True

    def _realize(self, plan: _Plan) -> _Record:
        rng = self.rng
        lead = plan.lead
        station = lead.station
        first, second, third = plan.topic.measures
        content = (
            f"{plan.topic.problem.format(**_place(lead))}。{rng.choice(CONCERNS)}\n"
            f"为此建议:一是{first};二是{second};三是{third}。"
        )
        created_by = self.deputy_users.get(lead.pk)
        if created_by is None or (self.staff and rng.random() < 0.08):
            created_by = self.staff  # 代为录入
        suggestion = Suggestion(
            title=plan.title,
            content=content,
            category=plan.category,
            county=self.county,
            congress_level=self.congress_level,
            congress=self.congress,
            lead_deputy=lead,
            is_complex=plan.is_complex,
            created_by=created_by,
        )
        record = _Record(self, plan, suggestion)
        township_deputies = [d.pk for d in self.by_township[station.township_id] if d != lead]
        record.co_signers = rng.sample(
            township_deputies,
            k=min(len(township_deputies), rng.choices((0, 1, 2, 3), (35, 30, 20, 15))[0]),
        )
        getattr(self, f"_life_{plan.kind}", self._life_handled)(record)
        return record

    # Before handling.

    def _start(self, record: _Record, submitted: datetime.date) -> None:
        """Draft, the meeting with the public and the submission on ``submitted``. Submitting
        needs the meeting unless the deployment only flags its absence."""
        rng = self.rng
        meeting = settings.SUGGESTION_PUBLIC_MEETING_RULE == "refuse" or rng.random() > 0.03
        met = submitted - datetime.timedelta(days=rng.randint(5, 45))
        drafted = min(submitted, met + datetime.timedelta(days=rng.randint(1, 20)))
        record.event(drafted, S.DRAFT, record.s.created_by, "起草", bump=False)
        lead = record.plan.lead
        if meeting:
            self._meeting(record, met)
        note = ""
        if not record.meetings:
            note = "未登记与群众见面的情况"
        user = self.deputy_users.get(lead.pk) or self.staff
        at = record.event(submitted, S.SUBMITTED, user, note)
        record.s.submitted_at = at
        record.submitted_on = submitted

    def _meeting(self, record: _Record, date: datetime.date) -> None:
        rng = self.rng
        station = record.plan.lead.station
        topic = record.plan.topic
        heard = topic.heard or topic.problem.format(**_place(record.plan.lead))
        record.meetings.append(
            PublicMeeting(
                date=date,
                place=rng.choice(
                    [station.name, f"{station.township.name}院坝会现场", f"{station.name}接待室"]
                ),
                people_met=rng.randint(6, 45),
                summary=rng.choice(MEETING_SUMMARIES).format(heard=heard),
            )
        )

    def _entry(self, record: _Record, assigned_target: datetime.date | None) -> datetime.date:
        """Submit, register and assign the suggestion; return the assignment date. Between
        sessions when ``assigned_target`` leaves room for it, else at the session."""
        rng = self.rng
        if assigned_target is not None:
            assigned = min(assigned_target, self.latest_assign)
            registered = assigned - datetime.timedelta(days=rng.randint(1, 5))
            submitted = registered - datetime.timedelta(days=rng.randint(1, 6))
            if submitted >= self.interim_start:
                self._start(record, submitted)
                self._register(record, registered)
                self._assign(record, assigned)
                return assigned
        submitted = min(self.session + datetime.timedelta(days=rng.randint(0, 3)), self.limit)
        self._start(record, submitted)
        self._register(record, max(submitted, self.register_day + _days(rng, 0, 3)))
        assigned = max(assigned_target or self.assign_day, self.assign_day)
        assigned = max(record.last_at.date(), min(assigned, self.limit))
        self._assign(record, assigned)
        return assigned

    def _register(self, record: _Record, date: datetime.date) -> None:
        record.registered_at = record.event(date, S.REGISTERED, self.staff, "登记")

    def _assign(self, record: _Record, date: datetime.date) -> None:
        plan = record.plan
        deadline = deadline_for(date, is_complex=plan.is_complex)
        s = record.s
        s.key_supervision = plan.key
        s.supervising_leader = self.rng.choice(self.leaders) if plan.key else None
        s.assigned_on, s.deadline, s.original_deadline = date, deadline, deadline
        record.event(
            date,
            S.ASSIGNED,
            self.staff,
            f"交{plan.units[0].name}主办,期限 {deadline.isoformat()}",
        )
        self._assignments(record, date, deadline)

    def _assignments(self, record: _Record, date: datetime.date, deadline: datetime.date) -> None:
        for i, unit in enumerate(record.plan.units):
            record.assignments.append(
                Assignment(
                    unit=unit,
                    role=Assignment.Role.LEAD if i == 0 else Assignment.Role.CO,
                    round=record.round,
                    assigned_on=date,
                    deadline=deadline,
                )
            )

    # Handling: a script of dated steps, squeezed to end by yesterday, then played.

    def _life_handled(self, record: _Record) -> None:
        """done / rehandled_done: made at the session (some between sessions) and followed to
        the end, as far as the time since allows."""
        rng = self.rng
        plan = record.plan
        needed = 150 if plan.kind == "done" else 260
        target = None
        if plan.is_complex:
            needed += 100
        latest = self.limit - datetime.timedelta(days=needed)
        earliest = self.interim_start + datetime.timedelta(days=12)
        if rng.random() < 0.15 and latest > earliest:
            target = earliest + _days(rng, 0, (latest - earliest).days)
        assigned = self._entry(record, target)
        script: list[tuple[datetime.date, str, dict]] = []
        cursor = assigned
        deadline = record.s.deadline
        for round_no, code in enumerate(plan.replies, start=1):
            last_round = round_no == len(plan.replies)
            if round_no == 1:
                cursor += _days(rng, 1, 6)
                script.append((cursor, "accept", {}))
                handling_start = cursor
                span = (deadline - cursor).days
                if plan.extension:
                    cursor = deadline - _days(rng, 3, 8)
                    script.append((cursor, "extend", {"months": rng.choice((1, 2))}))
                    reply = deadline + _days(rng, 5, 25)
                elif plan.late:
                    reply = deadline + _days(rng, 3, 25)
                else:
                    low = min(span - 2, 60 if plan.is_complex else 15)
                    reply = cursor + _days(rng, low, span - 2)
            else:  # a re-handling round answers within its shorter period
                handling_start = cursor
                reply = cursor + _days(rng, 8, 26)
            if rng.random() > 0.04:
                report_on = handling_start + (reply - handling_start) * rng.randint(3, 8) // 10
                script.append((report_on, "report", {}))
            script.append((reply, "reply", {"code": code}))
            cursor = reply + _days(rng, 1, 4)
            script.append((cursor, "codes", {}))
            evaluate_on = cursor + _days(rng, 6, 25)
            if last_round:
                result = rng.choices((SATISFIED, BASICALLY), (85, 15) if code == "A" else (30, 70))
                result = result[0]
            else:
                result = UNSATISFIED
            for date in sorted(
                cursor + _days(rng, 0, (evaluate_on - cursor).days)
                for _ in range(rng.randint(3, 12))
            ):
                script.append((date, "public", {"deputy_result": result}))
            cursor = evaluate_on
            script.append((cursor, "deputy", {"result": result}))
        if plan.close:
            script.append((cursor + _days(rng, 2, 12), "close", {}))
        self._play(record, assigned, script)

    def _life_open_assigned(self, record: _Record) -> None:
        self._entry(record, self.limit - _days(self.rng, 0, 7))

    def _life_open_due_soon(self, record: _Record) -> None:
        # A deadline within the next week: assigned three months before it.
        due = self.today + _days(self.rng, 3, 6)
        assigned = self._entry(record, add_months(due, -3))
        self._handle(record, assigned)

    def _life_open_overdue(self, record: _Record) -> None:
        missed = self.today - _days(self.rng, 3, 40)
        assigned = self._entry(record, add_months(missed, -3))
        self._handle(record, assigned)

    def _life_open_extended(self, record: _Record) -> None:
        # The original deadline passed a few days ago; an extension approved before it runs on.
        original = self.today - _days(self.rng, 5, 20)
        assigned = self._entry(record, add_months(original, -3))
        deadline = record.s.deadline
        script = [
            (assigned + _days(self.rng, 1, 5), "accept", {}),
            (assigned + (deadline - assigned) / 2, "report", {}),
            (deadline - _days(self.rng, 2, 6), "extend", {"months": 1}),
        ]
        self._play(record, assigned, script)

    def _life_open_normal(self, record: _Record) -> None:
        rng = self.rng
        back = (100, 160) if record.plan.is_complex else (15, 70)
        assigned = self._entry(record, self.limit - _days(rng, *back))
        self._handle(record, assigned)

    def _handle(self, record: _Record, assigned: datetime.date) -> None:
        """Accepted and, given time, reported to the public."""
        rng = self.rng
        accepted = assigned + _days(rng, 1, 5)
        script = [(accepted, "accept", {})]
        if (self.limit - accepted).days > 10 and rng.random() < 0.7:
            script.append(
                (accepted + (self.limit - accepted) * rng.randint(3, 9) // 10, "report", {})
            )
        self._play(record, assigned, script)

    def _life_open_replied(self, record: _Record) -> None:
        rng = self.rng
        replied = self.limit - _days(rng, 1, 10)
        planned = replied - _days(rng, 30, 80)
        assigned = self._entry(record, planned)
        accepted = planned + _days(rng, 1, 5)
        script = [(accepted, "accept", {})]
        if rng.random() < 0.8:
            script.append((accepted + (replied - accepted) / 2, "report", {}))
        script.append((replied, "reply", {"code": record.plan.replies[0]}))
        codes_on = replied + _days(rng, 1, 3)
        if codes_on <= self.limit:
            script.append((codes_on, "codes", {}))
            for _ in range(rng.randint(0, 5)):
                script.append(
                    (
                        codes_on + _days(rng, 0, max(0, (self.limit - codes_on).days)),
                        "public",
                        {"deputy_result": SATISFIED},
                    )
                )
        self._play(record, assigned, script, planned=planned)

    def _rehandled_first_round(
        self, record: _Record, rehandled: datetime.date
    ) -> tuple[datetime.date, datetime.date, list]:
        """The first round of a suggestion the deputy sent back on ``rehandled``."""
        rng = self.rng
        codes_on = rehandled - _days(rng, 6, 20)
        replied = codes_on - _days(rng, 1, 4)
        planned = replied - _days(rng, 30, 80)
        assigned = self._entry(record, planned)
        accepted = planned + _days(rng, 1, 5)
        script = [
            (accepted, "accept", {}),
            (accepted + (replied - accepted) / 2, "report", {}),
            (replied, "reply", {"code": record.plan.replies[0]}),
            (codes_on, "codes", {}),
        ]
        for _ in range(rng.randint(3, 10)):
            script.append(
                (
                    codes_on + _days(rng, 0, (rehandled - codes_on).days),
                    "public",
                    {"deputy_result": UNSATISFIED},
                )
            )
        script.append((rehandled, "deputy", {"result": UNSATISFIED}))
        return assigned, planned, script

    def _life_rehandled_open(self, record: _Record) -> None:
        rng = self.rng
        # Sent back within the last weeks: the re-handling round (a month) still runs.
        rehandled = self.limit - _days(rng, 4, 24)
        assigned, planned, script = self._rehandled_first_round(record, rehandled)
        if (self.limit - rehandled).days > 12 and rng.random() < 0.6:
            script.append((rehandled + (self.limit - rehandled) / 2, "report", {}))
        self._play(record, assigned, script, planned=planned)

    def _life_rehandled_replied(self, record: _Record) -> None:
        rng = self.rng
        rehandled = self.limit - _days(rng, 30, 75)
        assigned, planned, script = self._rehandled_first_round(record, rehandled)
        replied = rehandled + _days(rng, 10, 26)  # within the re-handling period
        script.append((rehandled + (replied - rehandled) / 2, "report", {}))
        script.append((replied, "reply", {"code": record.plan.replies[1]}))
        codes_on = replied + _days(rng, 1, 3)
        if codes_on <= self.limit:
            script.append((codes_on, "codes", {}))
            for _ in range(rng.randint(1, 6)):
                script.append(
                    (
                        codes_on + _days(rng, 0, max(0, (self.limit - codes_on).days)),
                        "public",
                        {"deputy_result": SATISFIED},
                    )
                )
        self._play(record, assigned, script, planned=planned)

    # The tail.

    def _life_draft(self, record: _Record) -> None:
        rng = self.rng
        drafted = self.limit - _days(rng, 0, 40)
        record.event(drafted, S.DRAFT, record.s.created_by, "起草", bump=False)
        demo = record.plan.lead == self.demo_deputy
        if not demo and rng.random() < 0.6:
            self._meeting(record, drafted - _days(rng, 0, 10))

    def _life_submitted(self, record: _Record) -> None:
        self._start(record, self.limit - _days(self.rng, 0, 6))

    def _life_registered(self, record: _Record) -> None:
        registered = self.limit - _days(self.rng, 0, 3)
        self._start(record, registered - _days(self.rng, 1, 6))
        self._register(record, registered)

    def _life_not_registered(self, record: _Record) -> None:
        rng = self.rng
        submitted = min(self.session + _days(rng, 0, 3), self.limit)
        self._start(record, submitted)
        reason = rng.choice(NOT_REGISTERED_REASONS)
        record.s.not_registered_reason = reason
        record.event(
            max(submitted, self.register_day),
            S.NOT_REGISTERED,
            self.staff,
            f"不作为代表建议处理,转为参考意见:{reason}",
        )

    def _life_converted(self, record: _Record) -> None:
        rng = self.rng
        submitted = min(self.session + _days(rng, 0, 3), self.limit)
        if rng.random() < 0.5 and (self.latest_assign - self.interim_start).days > 10:
            submitted = self.interim_start + _days(
                rng, 0, (self.latest_assign - self.interim_start).days - 8
            )
        self._start(record, submitted)
        converted = min(submitted + _days(rng, 2, 7), self.limit)
        reason = rng.choice(CONVERTED_REASONS)
        record.s.not_registered_reason = reason
        record.event(
            converted, S.CONVERTED, self.staff, f"不作为代表建议处理,转为群众意见:{reason}"
        )
        record.converted_at = record.last_at

    # Playing a script.

    def _play(
        self,
        record: _Record,
        start: datetime.date,
        script: list,
        planned: datetime.date | None = None,
    ) -> None:
        """Play dated steps in order after ``start`` (the assignment). A script written for an
        assignment on ``planned`` moves with the actual one; when its last step would fall after
        yesterday, the whole script is squeezed proportionally (the order is kept)."""
        if not script:
            return
        script = sorted(script, key=lambda step: step[0])
        if planned is not None:
            script = [(date + (start - planned), a, k) for date, a, k in script]
        last = max(date for date, _action, _kwargs in script)
        if last > self.limit:
            available = max(0, (self.limit - start).days)
            total = (last - start).days
            script = [
                (start + datetime.timedelta(days=(date - start).days * available // total), a, k)
                for date, a, k in script
            ]
        previous = start
        for date, action, kwargs in script:
            date = max(date, previous)
            previous = date
            getattr(self, f"_step_{action}")(record, date, **kwargs)

    def _lead_user(self, record: _Record) -> User | None:
        return self.unit_users.get(record.plan.units[0].pk)

    def _step_accept(self, record: _Record, date: datetime.date) -> None:
        record.event(date, S.IN_HANDLING, self._lead_user(record), "主办单位开始办理")

    def _step_extend(self, record: _Record, date: datetime.date, months: int) -> None:
        rng = self.rng
        s = record.s
        new = add_months(s.deadline, months)
        decided = record.stamp(date)
        record.extensions.append(
            DeadlineExtension(
                round=record.round,
                requested_by=self._lead_user(record),
                requested_deadline=new,
                reason=rng.choice(EXTENSION_REASONS),
                status=DeadlineExtension.Status.APPROVED,
                decided_by=self.staff,
                decided_at=decided,
            )
        )
        record.event(
            date,
            record.status,
            self.staff,
            f"批准延期至 {new.isoformat()}(原期限 {s.original_deadline.isoformat()})",
        )
        s.deadline = new
        for assignment in record.assignments:
            if assignment.round == record.round:
                assignment.deadline = new

    def _step_report(self, record: _Record, date: datetime.date) -> None:
        rng = self.rng
        units = [a.unit for a in record.assignments if a.round == record.round]
        station = record.plan.lead.station
        record.reports.append(
            ProgressReport(
                unit=units[0] if len(units) == 1 or rng.random() < 0.85 else rng.choice(units),
                round=record.round,
                date=date,
                place=rng.choice([station.name, f"{station.township.name}便民服务中心"]),
                attendance=rng.randint(8, 60),
                feedback=rng.choice(REPORT_FEEDBACK),
            )
        )

    def _step_reply(self, record: _Record, date: datetime.date, code: str) -> None:
        category = self.categories[code]
        s = record.s
        title, lead = s.title, record.plan.lead
        texts = {
            "A": f"经认真研究并实地调研,{record.plan.topic.done},该问题已基本解决。",
            "B": f"该事项已列入{date.year}—{date.year + 1}年度项目计划,目前正在组织实施,"
            "我单位将加快推进并及时向代表和群众反馈进展。",
            "C": "该事项涉及资金和规划调整,受当前条件限制暂难实施。"
            "我单位已将其纳入项目储备库,待条件成熟后优先安排解决。",
            "D": "您提出的建议对改进相关工作具有参考价值,我单位将在制定相关政策时认真研究吸纳。",
        }
        reported = any(r.round == record.round for r in record.reports)
        user = self._lead_user(record)
        record.replies.append(
            Reply(
                unit=record.plan.units[0],
                round=record.round,
                category=category,
                text=f"{lead.name}代表:您提出的《{title}》收悉。{texts.get(code, texts['D'])}"
                "感谢您对我单位工作的关心和支持。",
                without_progress_report=not reported,
                replied_on=date,
                replied_by=user,
            )
        )
        record.event(date, S.REPLIED, user, f"答复类别:{category}")

    def _step_codes(self, record: _Record, date: datetime.date) -> None:
        at = record.stamp(date)
        record.pending_codes = []
        for _ in range(self.rng.randint(6, 15)):
            code = EvaluationCode(round=record.round)
            record.codes.append((code, at))
            record.pending_codes.append(code)

    def _step_public(self, record: _Record, date: datetime.date, deputy_result: str) -> None:
        rng = self.rng
        weights = (25, 35, 40) if deputy_result == UNSATISFIED else (70, 25, 5)
        result = rng.choices((SATISFIED, BASICALLY, UNSATISFIED), weights)[0]
        if deputy_result != UNSATISFIED and result == UNSATISFIED:
            # The deputy's satisfaction stands only if the public is not mostly unsatisfied.
            results = [e.result for e, _, _ in record.evaluations if e.round == record.round]
            if (sum(r == UNSATISFIED for r in results) + 1) * 2 > len(results) + 1:
                result = BASICALLY
        at = record.stamp(date, hours=(8, 21))  # after the codes, before the deputy's evaluation
        evaluation = Evaluation(
            round=record.round,
            kind=Evaluation.Kind.PUBLIC,
            result=result,
            comment=rng.choice(PUBLIC_COMMENTS),
        )
        code = None
        if record.pending_codes and (self.staff is None or rng.random() < 0.75):
            code = record.pending_codes.pop()
            code.used_at = at
        else:
            evaluation.entered_by = self.staff  # a paper form
            if self.staff is None:
                return
        record.evaluations.append((evaluation, code, at))

    def _step_deputy(self, record: _Record, date: datetime.date, result: str) -> None:
        rng = self.rng
        s = record.s
        lead = record.plan.lead
        deputy_user = self.deputy_users.get(lead.pk)
        by_staff = deputy_user is None or (self.staff is not None and rng.random() < 0.1)
        actor = self.staff if by_staff else deputy_user
        at = record.stamp(date)
        record.evaluations.append(
            (
                Evaluation(
                    round=record.round,
                    kind=Evaluation.Kind.DEPUTY,
                    result=result,
                    comment=rng.choice(DEPUTY_COMMENTS[result]),
                    deputy=lead,
                    entered_by=self.staff if by_staff else None,
                ),
                None,
                at,
            )
        )
        record.pending_codes = []
        if result != UNSATISFIED:
            record.event(date, S.EVALUATED, actor, f"代表测评:{Evaluation.Result(result).label}")
            return
        # Handled again: a new round with the same units and its own, shorter deadline.
        deadline = deadline_for(date, is_complex=s.is_complex, rehandling=True)
        record.round += 1
        s.assigned_on, s.deadline, s.original_deadline = date, deadline, deadline
        months = settings.SUGGESTION_REHANDLE_DEADLINE_MONTHS
        record.event(
            date,
            S.IN_HANDLING,
            actor,
            f"测评不满意,重新办理(办理期限{months}个月),期限 {deadline.isoformat()}",
        )
        self._assignments(record, date, deadline)

    def _step_close(self, record: _Record, date: datetime.date) -> None:
        record.event(date, S.CLOSED, self.staff, "办结")

    # Opinions, numbers and saving -------------------------------------------------------------

    def _link_opinions(self, records: list[_Record]) -> None:
        """Some suggestions grew from what people raised at the lead deputy's station (or
        another station of the township) before the deputy submitted it."""
        rng = self.rng
        stations: dict[int, list[int]] = {}
        for station_id, township_id in Station.objects.filter(county=self.county).values_list(
            "pk", "township_id"
        ):
            stations.setdefault(township_id, []).append(station_id)
        for record in records:
            heard = record.plan.topic.heard
            if record.submitted_on is None or not heard or rng.random() > 0.7:
                continue
            station = record.plan.lead.station
            nearby = [station.pk] + [s for s in stations[station.township_id] if s != station.pk]
            for station_id in nearby:
                candidates = [
                    pk
                    for date, content, pk in self.opinions.get(station_id, [])
                    if date <= record.submitted_on and content == heard
                ]
                if candidates:
                    k = min(len(candidates), rng.choice((1, 1, 2, 3)))
                    record.opinions = rng.sample(candidates, k=k)
                    break

    def _number(self, records: list[_Record]) -> None:
        """Numbers as registration gives them: the year of registration and the order in it."""
        registered = sorted(
            (r for r in records if r.registered_at is not None),
            key=lambda r: r.registered_at,
        )
        counters: dict[int, int] = {}
        for record in registered:
            year = timezone.localtime(record.registered_at).year
            counters[year] = counters.get(year, 0) + 1
            record.s.number = f"{year}-{counters[year]:03d}"

    def _save(self, records: list[_Record]) -> None:
        for record in records:
            s = record.s
            s.status = record.status
            s.round = record.round
            s.version = record.version
            s.created_at = record.events[0][1]  # the draft
            s.updated_at = record.last_at
            for row, at in record.codes:
                row.created_at = at
            for evaluation, _code, at in record.evaluations:
                evaluation.created_at = at
            for event, at in record.events:
                event.at = at
        with _dated(Suggestion, EvaluationCode, Evaluation, SuggestionEvent):
            Suggestion.objects.bulk_create([r.s for r in records], batch_size=500)

            def children(rows_of) -> list:
                rows = []
                for record in records:
                    for row in rows_of(record):
                        row.suggestion = record.s
                        rows.append(row)
                return rows

            PublicMeeting.objects.bulk_create(children(lambda r: r.meetings), batch_size=1000)
            Assignment.objects.bulk_create(children(lambda r: r.assignments), batch_size=1000)
            ProgressReport.objects.bulk_create(children(lambda r: r.reports), batch_size=1000)
            Reply.objects.bulk_create(children(lambda r: r.replies), batch_size=1000)
            DeadlineExtension.objects.bulk_create(children(lambda r: r.extensions))
            EvaluationCode.objects.bulk_create(
                children(lambda r: [code for code, _at in r.codes]), batch_size=1000
            )
            evaluations = children(lambda r: [e for e, _code, _at in r.evaluations])
            for record in records:
                for evaluation, code, _at in record.evaluations:
                    evaluation.code = code  # saved above: now with its pk
            Evaluation.objects.bulk_create(evaluations, batch_size=1000)
            SuggestionEvent.objects.bulk_create(
                children(lambda r: [event for event, _at in r.events]), batch_size=1000
            )

        CoSigner = Suggestion.co_signers.through
        CoSigner.objects.bulk_create(
            [
                CoSigner(suggestion_id=r.s.pk, deputy_id=deputy_id)
                for r in records
                for deputy_id in r.co_signers
            ],
            batch_size=1000,
        )
        FromOpinion = Suggestion.from_opinions.through
        FromOpinion.objects.bulk_create(
            [
                FromOpinion(suggestion_id=r.s.pk, opinion_id=opinion_id)
                for r in records
                for opinion_id in r.opinions
            ],
            batch_size=1000,
        )
        self._duty_records(records)
        self._converted_opinions([r for r in records if r.converted_at is not None])

    def _duty_records(self, records: list[_Record]) -> None:
        """Each submitted suggestion is a duty of its lead deputy and co-signers."""
        source_type = ContentType.objects.get_for_model(Suggestion)
        DutyRecord.objects.bulk_create(
            [
                DutyRecord(
                    deputy_id=deputy_id,
                    kind=DutyRecord.Kind.SUGGESTION,
                    occurred_on=r.submitted_on,
                    title=f"提出建议:{r.s.title}"[:200],
                    source_type=source_type,
                    source_id=r.s.pk,
                )
                for r in records
                if r.submitted_on is not None
                for deputy_id in [r.plan.lead.pk, *r.co_signers]
            ],
            batch_size=2000,
            ignore_conflicts=True,
        )

    def _converted_opinions(self, records: list[_Record]) -> None:
        """Converted suggestions became opinions at the lead deputy's station (the triage queue)."""
        opinions = []
        for record in records:
            station = record.plan.lead.station
            opinion = Opinion(
                channel=Opinion.Channel.VISIT,
                county_id=station.county_id,
                township_id=station.township_id,
                station=station,
                category=record.s.category,
                content=f"{record.s.title}\n{record.s.content}",
                created_by=self.staff,
            )
            opinion.created_at = opinion.updated_at = record.converted_at
            opinions.append(opinion)
        with _dated(Opinion, OpinionEvent):
            Opinion.objects.bulk_create(opinions)
            for record, opinion in zip(records, opinions, strict=True):
                record.s.converted_opinion = opinion
            Suggestion.objects.bulk_update([r.s for r in records], ["converted_opinion"])
            OpinionEvent.objects.bulk_create(
                [
                    OpinionEvent(
                        opinion=opinion,
                        at=opinion.created_at,
                        actor=self.staff,
                        to_status=Opinion.Status.RECEIVED,
                        note="受理",
                    )
                    for opinion in opinions
                ]
            )


def _unit_accounts(county: Region, units: list[HandlingUnit]) -> dict[int, User]:
    """A liaison account per handling unit (to reply); the demo unit keeps its demo login.
    Passwords are unusable until the administrator issues one."""
    existing = set(
        User.objects.filter(role=Role.HANDLING_UNIT, handling_unit__county=county).values_list(
            "handling_unit_id", flat=True
        )
    )
    unusable = make_password(None)
    User.objects.bulk_create(
        [
            User(
                username=f"chengban{unit.pk}",
                full_name=f"{unit.name} 联络员",
                role=Role.HANDLING_UNIT,
                handling_unit=unit,
                county=county,
                password=unusable,
            )
            for unit in units
            if unit.pk not in existing
        ],
        ignore_conflicts=True,
    )
    users = {}
    for user in User.objects.filter(
        role=Role.HANDLING_UNIT, handling_unit__county=county, is_active=True
    ).order_by("-pk"):
        users[user.handling_unit_id] = user  # the oldest account of each unit wins
    return users


@contextlib.contextmanager
def _dated(*models):
    """Insert the timestamps the rows carry (the history) instead of now: auto_now and
    auto_now_add are off for the block. The demo is built in one thread (the management command
    or a test), never beside requests."""
    fields = [
        f
        for model in models
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _place(deputy: Deputy) -> dict[str, str]:
    station = deputy.station
    township = station.township.name
    return {
        "township": township,
        "village": station.village.name if station.village_id else township,
    }


def _days(rng: random.Random, low: int, high: int) -> datetime.timedelta:
    return datetime.timedelta(days=rng.randint(low, max(low, high)))


def _aware(date: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour, minute)))


def _workday(date: datetime.date) -> datetime.date:
    """The first working day on or after ``date`` (staff register and assign on working days)."""
    for _ in range(15):
        if is_workday(date)[0]:
            return date
        date += datetime.timedelta(days=1)
    return date


# A township congress's suggestions ---------------------------------------------------------------

TOWNSHIP_BODIES = ("农业综合服务中心",)  # beside the township government, as 陵江镇农业综合服务中心


class _TownshipBuilder(_Builder):
    """A few suggestions of the township congress whose staff has the demo login ``township``
    (陵江镇): led and co-signed by the township's deputies, registered, assigned and tracked by
    the township staff, handled by the township government and its bodies; one was sent back
    and is handled again within its one-month period."""

    def _load(self) -> bool:
        staff = (
            User.objects.filter(
                role=Role.TOWNSHIP_STAFF, township__county=self.county, is_active=True
            )
            .select_related("township")
            .order_by("pk")
        )
        self.staff = next((u for u in staff if u.username == "township"), None) or staff.first()
        if self.staff is None:
            return False
        township = self.staff.township
        self.rng = random.Random(f"township-suggestions-{township.code}")
        self.congress_level = Suggestion.Congress.TOWNSHIP
        self.congress = township
        deputies = list(
            Deputy.objects.filter(station__township=township)
            .with_active_level(Level.TOWNSHIP)
            .select_related("station__township", "station__village")
            .order_by("pk")
        )
        for body in TOWNSHIP_BODIES:
            HandlingUnit.objects.get_or_create(
                county=self.county,
                name=f"{township.name}{body}",
                defaults={"kind": HandlingUnit.Kind.OTHER, "township": township},
            )
        units = {
            u.name: u
            for u in HandlingUnit.objects.filter(
                county=self.county, is_active=True, township=township
            )
        }
        if len(deputies) < 4 or not units:
            return False
        self.units = units
        by_station: dict[int, list[Deputy]] = {}
        self.by_township = {township.pk: deputies}
        for deputy in deputies:
            by_station.setdefault(deputy.station_id, []).append(deputy)
        self.deputy_users = _deputy_accounts(self.county, by_station)
        self.unit_users = _unit_accounts(self.county, list(units.values()))
        self.leaders = [self.staff]  # the 主席团 supervises its key suggestions
        self.demo_deputy = None
        self.demo_unit = None
        # Township-only deputies lead; a county deputy who also sits here may co-sign.
        county_too = set(
            Deputy.objects.filter(pk__in=[d.pk for d in deputies])
            .with_active_level(Level.COUNTY)
            .values_list("pk", flat=True)
        )
        self.deputies = [d for d in deputies if d.pk not in county_too] or deputies
        self.used_titles = set(
            Suggestion.objects.filter(county=self.county).values_list("title", flat=True)
        )
        self.categories = {c.code: c for c in ReplyCategory.objects.all()}
        self.opinions = {}
        return True

    def _plans(self) -> list[_Plan]:
        plans = []
        for kind, replies, key in (
            ("done", ["A"], False),
            ("done", ["B"], False),
            ("rehandled_open", ["C"], True),
            ("open_normal", [], False),
            ("open_replied", ["A"], False),
            ("registered", [], False),
            ("submitted", [], False),
            ("not_registered", [], False),
            ("converted", [], False),
        ):
            plan = self._plan(kind)
            plan.replies = list(replies)
            plan.key = key
            plans.append(plan)
        return plans
