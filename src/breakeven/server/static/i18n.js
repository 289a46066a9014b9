/* breakeven web app: every word the pages show, in English and Chinese, and the page's language
   (?lang=zh in the address, or the EN / 中文 switch in the top bar; kept for the tab's session
   and carried by the links between pages). Loaded first by every page; no network.

   W: key → [English, 中文], grouped by page (common.*, index.*, runs.*, plan.*, sweep.*). {name}
   is filled in by t(key, {name: …}). Numbers are not here: common.js writes them (k/M/B in
   English, 万/亿 in Chinese). What the server says (headlines, notes, warnings, goal-seek's answer,
   the update's narrative) is not here either: the pages ask the server for it in the page's
   language, and it tells it with the command line's own words (`--lang zh`). */
(function () {
  "use strict";

  var W = {
    // ================================================================ every page
    "common.nav": ["Pages", "页面"],
    "common.plans": ["Plans", "方案"],
    "common.runs": ["Saved runs", "已保存的运行"],
    "common.loading": ["Loading…", "加载中…"],
    "common.err.413": ["The plan is too large for the server.", "方案太大，服务器无法处理。"],
    "common.err.503": ["The server is busy or the run took too long; try fewer samples.",
                       "服务器繁忙或运行时间过长；请减少抽样次数。"],
    "common.err.token": ["This server needs its token: open the page once with ?token=<token>.",
                         "此服务器需要令牌：请用 ?token=<令牌> 打开一次本页。"],
    "common.err.status": ["The server answered {status}.", "服务器返回 {status}。"],
    "common.err.unreachable": ["The server cannot be reached (is `breakeven serve` still running?).",
                               "无法连接服务器（`breakeven serve` 是否仍在运行？）。"],
    "common.month": ["Month", "月份"],
    "common.band80": ["80% band", "80% 区间"],
    "common.band80_short": ["80%", "80% 区间"],
    "common.no_change": ["no change", "无变化"],
    "common.pts": ["{x} pts", "{x} 个百分点"],
    "common.months_n": ["{x} months", "{x} 个月"],
    "common.list_sep": [", ", "、"],
    "common.sentence_sep": [" ", ""],
    "common.no_plotly": ["Charts need /static/plotly.min.js.", "图表需要 /static/plotly.min.js。"],
    "common.to_en": ["Show the page in English", "切换为英文（English）"],
    "common.to_zh": ["Show the page in Chinese", "切换为中文"],

    // ================================================================ the start page (index)
    "index.title": ["breakeven — plans", "breakeven — 方案"],
    "index.skip": ["Skip to the plans", "跳到方案列表"],
    "index.h1": ["Will revenue cover costs?", "收入能覆盖成本吗？"],
    "index.desc": ["Open a plan to edit its assumptions and watch the answer move: the chance of " +
                   "breaking even, when, and how much cash it takes, from a Monte Carlo run of " +
                   "every month.",
                   "打开一个方案，修改它的假设，看结论如何变化：盈亏平衡的概率、何时实现、需要多少资金——" +
                   "由逐月的蒙特卡洛模拟得出。"],
    "index.files": ["Your plans", "你的方案"],
    "index.files_note": ["The plans given to <code>breakeven serve</code>.",
                         "启动 <code>breakeven serve</code> 时给出的方案。"],
    "index.templates": ["Templates", "模板"],
    "index.templates_note": ["Shipped starting points; edits stay in the page until you save a run " +
                             "or download the YAML.",
                             "随附的起点方案；修改只保留在页面中，直到你保存运行或下载 YAML。"],
    "index.to_runs": ["Saved runs and their differences →", "已保存的运行及其差异 →"],
    "index.footer": ["breakeven · served from this computer; nothing leaves it.",
                     "breakeven · 由本机提供服务，数据不会离开这台电脑。"],
    "index.tag_template": ["template", "模板"],
    "index.tag_plan": ["plan", "方案"],
    "index.no_templates": ["No templates.", "没有模板。"],

    // ================================================================ the history page (runs)
    "runs.title": ["breakeven — saved runs", "breakeven — 已保存的运行"],
    "runs.skip": ["Skip to the runs", "跳到运行列表"],
    "runs.kicker": ["history", "历史记录"],
    "runs.h1": ["Saved runs", "已保存的运行"],
    "runs.desc": ["Every run saved from a plan page, newest first, with its plan, seed, samples and " +
                  "answer. Pick two to see which assumptions changed and how the answer moved.",
                  "从方案页面保存的每次运行（最新的在前），包括方案、随机种子、抽样次数和结论。" +
                  "选择两次运行，查看哪些假设变了、结论如何变化。"],
    "runs.h_list": ["Runs", "运行"],
    "runs.pick_note": ["Tick two runs, then <em>Diff</em>. The older is A, the newer B.",
                       "勾选两次运行，然后点<em>对比</em>。较早的是 A，较新的是 B。"],
    "runs.diff_btn": ["Diff the two runs", "对比这两次运行"],
    "runs.h_diff": ["Difference", "差异"],
    "runs.footer": ["The runs live in the server's run store (DuckDB); " +
                    "<code>breakeven runs list|show|diff|export</code> reads the same store.",
                    "运行记录保存在服务器的运行存储（DuckDB）中；<code>breakeven runs list</code>、" +
                    "<code>show</code>、<code>diff</code>、<code>export</code> 读取的是同一个存储。"],
    "runs.beyond": ["not within the horizon", "期内未发生"],
    "runs.none_1": ["No saved runs yet. Open a ", "还没有保存的运行。打开一个"],
    "runs.none_plan": ["plan", "方案"],
    "runs.none_2": [", edit it and press ", "，修改后点击"],
    "runs.none_3": [".", "。"],
    "runs.c.saved": ["Saved", "保存时间"],
    "runs.c.plan": ["Plan", "方案"],
    "runs.c.note": ["Note", "备注"],
    "runs.c.month": ["Break-even month", "盈亏平衡月份"],
    "runs.c.need": ["Cash need P50", "资金需求 P50"],
    "runs.c.npv": ["NPV P50", "净现值 P50"],
    "runs.c.samples": ["Samples", "抽样次数"],
    "runs.c.seed": ["Seed", "随机种子"],
    "runs.c.version": ["Version", "版本"],
    "runs.c.assumption": ["Assumption", "假设"],
    "runs.c.metric": ["Metric", "指标"],
    "runs.c.change": ["Change", "变化"],
    "runs.m.p_breakeven": ["P(break-even)", "盈亏平衡概率"],
    "runs.m.p_cash_out": ["P(cash runs out)", "资金耗尽概率"],
    "runs.m.breakeven_month_p50": ["Break-even month, median", "盈亏平衡月份（中位数）"],
    "runs.m.peak_funding_need_p50": ["Cash need, P50", "资金需求 P50"],
    "runs.m.peak_funding_need_p90": ["Cash need, P90", "资金需求 P90"],
    "runs.m.npv_p50": ["NPV, median", "净现值（中位数）"],
    "runs.pick": ["Pick run {id} ({name}, {when})", "选择运行 {id}（{name}，{when}）"],
    "runs.one_more": ["Pick one more.", "请再选一次运行。"],
    "runs.comparing": ["Comparing…", "正在对比…"],
    "runs.run": ["Run {x}", "运行 {x}"],
    "runs.settings": ["Run settings that differ: {list}.", "不同的运行设置：{list}。"],
    "runs.setting.seed": ["seed", "随机种子"],
    "runs.setting.samples": ["samples", "抽样次数"],
    "runs.setting.version": ["version", "版本"],
    "runs.h_assumptions": ["Assumptions that changed", "变化的假设"],
    "runs.no_assumptions": ["None: the two runs used the same assumptions (only the seed, samples " +
                            "or tool version can differ).",
                            "无：两次运行使用相同的假设（只有随机种子、抽样次数或工具版本可能不同）。"],
    "runs.h_metrics": ["How the answer moved", "结论如何变化"],
    "runs.not_set": ["(not set)", "（未设置）"],
    "runs.w.currencies": ["the runs use different currencies ({a}, {b}): amounts are not subtracted",
                          "两次运行的货币不同（{a}、{b}）：金额不作相减"],
    "runs.w.not_compared": ["assumptions not compared: a plan does not load with this version of " +
                            "breakeven ({error})",
                            "未比较假设：有方案无法用此版本的 breakeven 加载（{error}）"],

    // ================================================================ the plan page: what it shows first
    "plan.title": ["breakeven — plan", "breakeven — 方案"],
    "plan.skip_inputs": ["Skip to the assumptions", "跳到假设"],
    "plan.skip_results": ["Skip to the answer", "跳到结论"],
    "plan.kicker": ["plan", "方案"],
    "plan.loading_plan": ["Loading the plan…", "正在加载方案…"],
    "plan.toolbar": ["Run settings and actions", "运行设置与操作"],
    "plan.samples": ["Samples", "抽样次数"],
    "plan.seed": ["Seed", "随机种子"],
    "plan.btn_save": ["Save run", "保存运行"],
    "plan.btn_download": ["Download YAML", "下载 YAML"],
    "plan.btn_download_title": ["The plan with your edits, as YAML", "含你修改的方案（YAML 格式）"],
    "plan.btn_sens": ["Sensitivity", "敏感性分析"],
    "plan.btn_goal": ["Goal-seek", "目标求解"],
    "plan.btn_sweep": ["Sweep", "参数扫描"],
    "plan.btn_sweep_title": ["A decision map: the answer over a grid of one or two inputs' values",
                             "决策图：一到两个输入在一组取值上的结论"],
    "plan.btn_compare": ["Compare with original", "与原方案对比"],
    "plan.btn_actuals": ["Actuals", "实际数据"],
    "plan.btn_actuals_title": ["Update the plan on what really happened", "根据实际发生的情况更新方案"],
    "plan.h_inputs": ["Assumptions", "假设"],
    "plan.inputs_note": ["Uncertain inputs are 90% ranges (low to high). Type numbers as in the plan: " +
                         "49, 1.5M, 300k, 12%. Every change re-runs the plan.",
                         "不确定的输入以 90% 区间表示（低值至高值）。数字按方案的写法输入：49、1.5M、300k、" +
                         "12%、2万。每次修改都会重新运行方案。"],
    "plan.find": ["Find an assumption", "查找假设"],
    "plan.find_placeholder": ["Find an assumption…", "查找假设…"],
    "plan.reset_all": ["Reset all", "全部重置"],
    "plan.close": ["Close", "关闭"],
    "plan.simulating": ["Simulating…", "模拟中…"],
    "plan.cards": ["Key numbers", "关键数字"],
    "plan.h_cash": ["Cash balance", "现金余额"],
    "plan.cash_note": ["Median and 80% band (p10–p90) of the cash in the bank each month.",
                       "每月银行现金的中位数和 80% 区间（p10–p90）。"],
    "plan.cash_label": ["Fan chart of the cash balance by month", "逐月现金余额扇形图"],
    "plan.h_revcost": ["Revenue vs costs", "收入与成本"],
    "plan.revcost_note": ["Monthly revenue and total costs: medians and 80% bands.",
                          "每月收入与总成本：中位数和 80% 区间。"],
    "plan.revcost_label": ["Fan chart of monthly revenue and costs", "每月收入与成本扇形图"],
    "plan.h_cdf": ["When it breaks even", "何时盈亏平衡"],
    "plan.cdf_note": ["Share of outcomes that have broken even by each month.",
                      "到各月为止已实现盈亏平衡的情形占比。"],
    "plan.cdf_label": ["Cumulative chance of breaking even by month", "逐月累计盈亏平衡概率"],
    "plan.h_tornado": ["What decides it", "关键影响因素"],
    "plan.tornado_note0": ["Each input moved alone from its p10 to its p90.",
                           "每次只把一个输入从 p10 调到 p90。"],
    "plan.tornado_label": ["Tornado chart of the inputs that move the answer most",
                           "影响结论最大的输入（龙卷风图）"],

    // ---------------------------------------------------------------- the plan page: the inputs
    "plan.f.low": ["{name}, low end of the 90% range", "{name}，90% 区间的低值"],
    "plan.f.high": ["{name}, high end of the 90% range", "{name}，90% 区间的高值"],
    "plan.f.to": ["to", "至"],
    "plan.f.low_word": ["low", "低值"],
    "plan.f.high_word": ["high", "高值"],
    "plan.f.value_word": ["value", "取值"],
    "plan.f.by_month_of": ["{name} by month", "{name}（按月）"],
    "plan.f.from_month": ["From month", "起始月份"],
    "plan.f.value": ["Value", "取值"],
    "plan.f.remove": ["Remove", "删除"],
    "plan.f.month_box": ["{name}: month", "{name}：月份"],
    "plan.f.value_box": ["{name}: value from that month", "{name}：自该月起的取值"],
    "plan.f.remove_month": ["Remove this month of {name}", "删除 {name} 的这个月份"],
    "plan.f.add_month": ["+ add a month", "+ 添加月份"],
    "plan.f.add_month_to": ["Add a month to {name}", "为 {name} 添加月份"],
    "plan.f.value_for_month": ["value for month {m}", "第 {m} 个月的取值"],
    "plan.f.default": ["default", "默认值"],
    "plan.f.range90": ["90% range", "90% 区间"],
    "plan.f.by_month": ["by month", "按月"],
    "plan.f.unit_sep": [", ", "，"],
    "plan.f.reset": ["↺ reset", "↺ 重置"],
    "plan.f.reset_label": ["Reset {name} to the plan's value", "把 {name} 重置为方案中的取值"],
    "plan.f.was": ["plan: {text}", "方案：{text}"],
    "plan.n_input": ["{n} input", "{n} 个输入"],
    "plan.n_inputs": ["{n} inputs", "{n} 个输入"],
    "plan.input_word": ["input", "个输入"],
    "plan.inputs_word": ["inputs", "个输入"],
    "plan.defaults_all": ["{n} {inputs} left at the default", "{n} 个输入使用默认值"],
    "plan.defaults_some": ["+ {n} {inputs} left at the default", "+ {n} 个输入使用默认值"],
    "plan.paren": [" ({x})", "（{x}）"],
    "plan.no_inputs": ["This plan has no inputs to edit.", "此方案没有可编辑的输入。"],
    "plan.err.number": ["{what}: write a number such as 49, 1.5M or 12% (got {got})",
                        "{what}：请写一个数字，例如 49、1.5M 或 12%（收到的是 {got}）"],
    "plan.err.nothing": ["nothing", "空"],
    "plan.err.range": ["{what}: write a range such as 600k to 900k (got {got})",
                       "{what}：请写一个区间，例如 600k to 900k（收到的是 {got}）"],
    "plan.err.month_reversed": ["{what}: the low end is above the high end", "{what}：低值高于高值"],
    "plan.err.reversed": ["the low end is above the high end", "低值高于高值"],
    "plan.err.month": ["month: a whole number such as 1 or 13 (got {got})",
                       "月份：请写一个整数，例如 1 或 13（收到的是 {got}）"],
    "plan.err.month_twice": ["month {m} appears twice", "第 {m} 个月出现了两次"],
    "plan.err.no_months": ["give at least one month and its value", "请至少给出一个月份及其取值"],
    "plan.err.mapping": ["{what}: write a number, a range such as 600k to 900k, or one {dist: …} (got {got})",
                         "{what}：请写一个数字、一个区间（例如 600k to 900k）或一个 {dist: …}（收到的是 {got}）"],
    "plan.err.month_past": ["month {m} is after the plan's last month ({h}): it would never apply",
                            "第 {m} 个月在方案的最后一个月（{h}）之后：永远不会生效"],
    "plan.err.seed": ["seed: a whole number from 0 to 9007199254740991 (got {got})",
                      "随机种子：请写 0 到 9007199254740991 之间的整数（收到的是 {got}）"],
    "plan.goal_low": ["Search from", "搜索范围从"],
    "plan.goal_high": ["to", "到"],
    "plan.goal_auto": ["auto", "自动"],
    "plan.leave": ["Your edits are not saved. Leave the page?", "您的修改尚未保存。确定离开此页吗？"],
    "plan.err.empty": ["give a value", "请给出一个取值"],
    // units: "1/month" → per month; the parts of "CNY/seat/month" in Chinese
    "plan.unit.pct_per": ["% per {per}", "%/{per}"],
    "plan.unit.per": ["per {per}", "每{per}"],
    "plan.unit.w.month": ["month", "月"],
    "plan.unit.w.year": ["year", "年"],
    "plan.unit.w.day": ["day", "天"],
    "plan.unit.w.hour": ["hour", "小时"],
    "plan.unit.w.minute": ["minute", "分钟"],
    "plan.unit.w.seat": ["seat", "席位"],
    "plan.unit.w.account": ["account", "账户"],
    "plan.unit.w.user": ["user", "用户"],
    "plan.unit.w.person": ["person", "人"],
    "plan.unit.w.device": ["device", "台"],
    "plan.unit.w.GPU-hour": ["GPU-hour", "GPU 小时"],
    "plan.unit.w.M tokens": ["M tokens", "百万 token"],
    "plan.unit.w.1000 ads": ["1000 ads", "千次展示"],
    "plan.unit.w.users": ["users", "用户"],
    "plan.unit.w.tokens": ["tokens", "token"],
    "plan.unit.w.people": ["people", "人"],
    "plan.unit.w.months": ["months", "个月"],
    "plan.unit.w.seats": ["seats", "席位"],
    "plan.unit.w.accounts": ["accounts", "账户"],
    "plan.unit.w.days": ["days", "天"],
    "plan.unit.w.hours": ["hours", "小时"],
    "plan.unit.w.minutes": ["minutes", "分钟"],
    "plan.unit.w.params": ["params", "参数"],
    "plan.unit.w.ads": ["ads", "广告"],
    "plan.unit.w.requests": ["requests", "请求"],
    "plan.unit.w.devices": ["devices", "台"],
    "plan.unit.w.GPU-seconds": ["GPU-seconds", "GPU 秒"],
    "plan.unit.w.×mean": ["×mean", "×均值"],
    "plan.unit.w.unit": ["unit", "计量单位"],
    "plan.unit.w.units": ["units", "计量单位"],

    // ---------------------------------------------------------------- the plan page: the answer
    "plan.at_line": ["(line {n})", "（第 {n} 行）"],
    "plan.warning": ["Warning", "警告"],
    "plan.warnings": ["Warnings", "警告"],
    "plan.err.other_problems": ["The plan has other problems:", "方案还有其他问题："],
    "plan.st.waiting": ["Waiting for you to stop typing…", "等待输入完成…"],
    "plan.st.simulating": ["Simulating {n} samples…", "正在模拟 {n} 次抽样…"],
    "plan.st.retry": ["The server is busy; trying again…", "服务器繁忙，正在重试…"],
    "plan.st.fix_input": ["Not up to date: fix the marked input", "不是最新结果：请修正标出的输入"],
    "plan.st.plan_problem": ["Not run: the plan has a problem", "未运行：方案有问题"],
    "plan.st.too_slow": ["Too slow: try fewer samples", "太慢：请减少抽样次数"],
    "plan.st.not_run": ["Not run", "未运行"],
    "plan.st.done": ["Up to date · {ms} ms", "已是最新 · {ms} 毫秒"],
    "plan.st.server": [" · server {ms} ms", " · 服务器 {ms} 毫秒"],
    "plan.st.loading_updated": ["Loading the updated plan…", "正在加载更新后的方案…"],
    "plan.st.updated_failed": ["Could not load the updated plan", "无法加载更新后的方案"],
    "plan.st.no_plan": ["No plan", "没有方案"],
    "plan.st.open_failed": ["Could not open the plan", "无法打开方案"],
    "plan.no_id": ["No plan named in the address (/plan/<id>).", "地址中没有指定方案（/plan/<id>）。"],
    "plan.updated_suffix": [" — updated on actuals", " — 已根据实际数据更新"],
    "plan.updated_title": ["{name} (updated on actuals)", "{name}（已根据实际数据更新）"],
    "plan.hl.text": ["Breaks even within {h} months in {p} of outcomes; {month}; cash needed P50 " +
                     "{p50} / P90 {p90}.",
                     "{h} 个月内实现盈亏平衡的概率为 {p}；{month}；所需资金 P50 {p50} / P90 {p90}。"],
    "plan.hl.median": ["median break-even month {m}", "盈亏平衡月份中位数为 {m}"],
    "plan.hl.no_median": ["the median outcome does not break even within {h} months",
                          "中位情形在 {h} 个月内未能盈亏平衡"],
    "plan.mini": ["P(break-even) {p} · month {month} · cash need {need} · NPV {npv}",
                  "盈亏平衡概率 {p} · 月份 {month} · 资金需求 {need} · 净现值 {npv}"],
    "plan.card.p": ["P(break-even) within {h} months", "{h} 个月内盈亏平衡概率"],
    "plan.card.month": ["Break-even month, median", "盈亏平衡月份（中位数）"],
    "plan.card.need50": ["Cash need, P50", "资金需求 P50"],
    "plan.card.need90": ["Cash need, P90", "资金需求 P90"],
    "plan.card.npv": ["NPV, median", "净现值（中位数）"],
    "plan.d.was": ["was {x}", "原为 {x}"],
    "plan.d.vs_original": ["{x} vs original", "较原方案 {x}"],
    "plan.horizon": ["horizon", "期限"],
    "plan.ch.cash": ["Cash", "现金"],
    "plan.ch.revenue": ["Revenue", "收入"],
    "plan.ch.costs": ["Costs", "成本"],
    "plan.ch.broken_even": ["Broken even by then", "届时已盈亏平衡"],
    "plan.ch.broken_even_hover": ["broken even by then", "届时已盈亏平衡"],
    "plan.ch.share": ["Share of outcomes", "情形占比"],
    "plan.ch.never": ["never within the horizon: {p}", "期内始终未盈亏平衡：{p}"],
    "plan.tornado_note": ["Each input moved alone from its p10 to its p90: the {metric} that results " +
                          "(the line is the {metric} with every input at its median).",
                          "每次只把一个输入从 p10 调到 p90 时的{metric}（竖线为所有输入取中位数时的{metric}）。"],
    "plan.no_tornado": ["No tornado for this plan.", "此方案没有龙卷风图。"],
    "plan.no_tornado_why": ["No tornado for this plan: {why}", "此方案没有龙卷风图：{why}"],
    "plan.at_p10": ["input at p10", "输入取 p10"],
    "plan.at_p90": ["input at p90", "输入取 p90"],
    // the metrics the tools name (the answer's own keys)
    "plan.metric.npv": ["NPV", "净现值"],
    "plan.metric.breakeven_month": ["Break-even month", "盈亏平衡月份"],
    "plan.metric.sustained_breakeven_month": ["Sustained break-even month", "持续盈亏平衡月份"],
    "plan.metric.payback_month": ["Payback month", "回本月份"],
    "plan.metric.peak_funding_need": ["Cash need (peak funding)", "峰值资金需求"],
    "plan.metric.runway_months": ["Runway", "资金跑道"],
    "plan.metric.ending_cash": ["Cash at the end", "期末现金"],
    "plan.metric.revenue_last_month": ["Revenue in the last month", "末月收入"],
    "plan.metric.ebitda_total": ["EBITDA over the horizon", "期内 EBITDA 合计"],
    "plan.metric.roi": ["Return on investment", "投资回报率"],
    "plan.metric.breakeven_tie": ["same break-even month", "盈亏平衡月份相同"],
    "plan.metric.npv_tie": ["equal NPV", "净现值相同"],
    "plan.prob.p_breakeven": ["P(break-even)", "盈亏平衡概率"],
    "plan.prob.p_cash_out": ["P(cash runs out)", "资金耗尽概率"],

    // ---------------------------------------------------------------- the plan page: the tools
    "plan.fix_first": ["Fix {names} first (that edit is not applied).", "请先修正 {names}（该修改尚未应用）。"],
    "plan.h_save": ["Save this run", "保存本次运行"],
    "plan.save_note": ["Keeps the plan as edited, the seed, the samples and the answer in the run " +
                       "store; <a href=\"/runs\">Saved runs</a> lists them and diffs any two.",
                       "把修改后的方案、随机种子、抽样次数和结论保存到运行存储中；" +
                       "<a href=\"/runs\">已保存的运行</a>页面列出它们，并可对比任意两次。"],
    "plan.note": ["Note", "备注"],
    "plan.note_placeholder": ["What changed, and why", "改了什么，为什么"],
    "plan.save": ["Save", "保存"],
    "plan.saving": ["Saving…", "正在保存…"],
    "plan.saved_1": ["Saved as run ", "已保存为运行 "],
    "plan.saved_at": [" at {at}", "，时间 {at}"],
    "plan.saved_2": [". ", "。"],
    "plan.saved_link": ["See the saved runs →", "查看已保存的运行 →"],
    "plan.h_sens": ["Sensitivity: which inputs decide the answer", "敏感性分析：哪些输入决定结论"],
    "plan.sens_note": ["Tornado: each input moved alone from its p10 to its p90. Sobol: each input's " +
                       "share of the variance (S1 alone, ST with its interactions); slower.",
                       "龙卷风图：每次只把一个输入从 p10 调到 p90。Sobol 指数：各输入对方差的贡献" +
                       "（S1 为单独贡献，ST 含交互作用）；计算较慢。"],
    "plan.method": ["Method", "方法"],
    "plan.tornado": ["Tornado", "龙卷风图"],
    "plan.sobol": ["Sobol indices", "Sobol 指数"],
    "plan.metric": ["Metric", "指标"],
    "plan.run": ["Run", "运行"],
    "plan.sobol_n": ["{n} × (inputs + 2)", "{n} ×（输入数 + 2）"],
    "plan.sobol_busy": ["Computing Sobol indices (this takes a few seconds)…",
                        "正在计算 Sobol 指数（需要几秒钟）…"],
    "plan.tornado_busy": ["Computing the tornado…", "正在计算龙卷风图…"],
    "plan.sens_base": ["{metric} with every input at its median: {value}.",
                       "所有输入取中位数时的{metric}：{value}。"],
    "plan.sens_label": ["Tornado of {metric}", "{metric}的龙卷风图"],
    "plan.sobol_share": ["Share of the variance of {metric} ({n} runs from a base sample of {base}).",
                         "{metric}方差的分解（基础样本 {base}，共 {n} 次运行）。"],
    "plan.sobol_label": ["Sobol indices of {metric}", "{metric}的 Sobol 指数"],
    "plan.s1": ["S1 (alone)", "S1（单独）"],
    "plan.st": ["ST (with interactions)", "ST（含交互作用）"],
    "plan.c.input": ["Input", "输入"],
    "plan.c.at_p10": ["{metric} at p10", "p10 时的{metric}"],
    "plan.c.at_p90": ["{metric} at p90", "p90 时的{metric}"],
    "plan.c.swing": ["Swing", "摆幅"],
    "plan.c.cond_swing": ["Conditional swing", "条件摆幅"],
    "plan.c.metric": ["Metric", "指标"],
    "plan.c.as_loaded": ["As loaded", "加载时"],
    "plan.c.as_edited": ["As edited", "修改后"],
    "plan.c.change": ["Change", "变化"],
    "plan.h_goal": ["Goal-seek: the value of one input that reaches a target",
                    "目标求解：使目标达成的某个输入取值"],
    "plan.goal_note": ["The input is held at one value in every sample; the rest stay uncertain.",
                       "该输入在每个抽样中固定为同一取值；其余输入保持不确定。"],
    "plan.input": ["Input", "输入"],
    "plan.target": ["Target", "目标"],
    "plan.comparison": ["Comparison", "比较方式"],
    "plan.value": ["Value", "取值"],
    "plan.seek": ["Seek", "求解"],
    "plan.goal.p_breakeven": ["P(break-even)", "盈亏平衡概率"],
    "plan.goal.p_cash_out": ["P(cash runs out)", "资金耗尽概率"],
    "plan.goal.npv.p50": ["NPV, median", "净现值（中位数）"],
    "plan.goal.breakeven_month.p50": ["Break-even month, median", "盈亏平衡月份（中位数）"],
    "plan.goal.peak_funding_need.p50": ["Cash need, median", "资金需求（中位数）"],
    "plan.goal.peak_funding_need.p90": ["Cash need, p90", "资金需求 P90"],
    "plan.goal.ending_cash.p50": ["Cash at the end, median", "期末现金（中位数）"],
    "plan.goal.dir.at or above": ["at or above", "不低于"],
    "plan.goal.dir.at or below": ["at or below", "不高于"],
    "plan.goal.dir.at": ["at", "为"],
    "plan.goal_pick": ["Pick an input to vary.", "请选择要调整的输入。"],
    "plan.goal_value": ["Give the target's value (e.g. 80% or 36).", "请给出目标值（例如 80% 或 36）。"],
    "plan.goal_busy": ["Seeking {target} by varying {name}…", "正在通过调整 {name} 求解 {target}…"],
    "plan.goal_found": ["{name} {dir} {value}", "{name}{dir} {value}"],
    "plan.goal_unreachable": ["Not reachable in the range tried", "在尝试的范围内无法达到"],
    "plan.goal.r.target": ["Target", "目标"],
    "plan.goal.r.now": ["Input now", "当前输入"],
    "plan.goal.r.found": ["Value found", "求得的取值"],
    "plan.goal.r.achieved": ["Achieved", "达到的值"],
    "plan.goal.r.closest": ["Closest", "最接近"],
    "plan.goal.r.range": ["Range tried", "尝试的范围"],
    "plan.goal.r.samples": ["Samples per trial", "每次试算的抽样次数"],
    "plan.range": ["{a} to {b}", "{a} 至 {b}"],
    "plan.h_compare": ["Compared with the plan as loaded", "与加载时的方案对比"],
    "plan.compare_note": ["Both plans run with the same random numbers (seed and samples above), so " +
                          "the difference is the edits'.",
                          "两个方案使用相同的随机数（上方的随机种子和抽样次数），因此差异完全来自你的修改。"],
    "plan.cmp_busy": ["Running both plans with the same random numbers…", "正在用相同的随机数运行两个方案…"],
    "plan.cmp_none": ["The server returned no comparison.", "服务器没有返回对比结果。"],
    "plan.cmp_same": ["No edits yet: both columns are the same plan.", "还没有修改：两列是同一个方案。"],
    "plan.median_of": ["{metric}, median", "{metric}（中位数）"],
    "plan.cmp_beats": ["Chance the edited plan does better, sample by sample: {list}.",
                       "逐个抽样比较，修改后方案更好的概率：{list}。"],

    // ---------------------------------------------------------------- the plan page: actuals
    "plan.h_actuals": ["Actuals: update the plan on what happened", "实际数据：根据已发生的情况更新方案"],
    "plan.actuals_note": ["A CSV file or an Excel workbook (.xlsx): one row per month (<code>month</code>: " +
                          "2025-03, or the plan's month number), one column per output " +
                          "(<code>active_users</code>, <code>paying_users</code>, " +
                          "<code>revenue.subscription</code>, <code>cash</code>…), and " +
                          "<code>NAME.error</code> for a series' own relative error. The plan's " +
                          "uncertain ranges are narrowed to what the observed months allow, and the " +
                          "plan is forecast again (the plan as edited, with the seed above).",
                          "CSV 文件或 Excel 工作簿（.xlsx）：每月一行（<code>month</code>：2025-03，或方案中的" +
                          "月序号），每个输出一列（<code>active_users</code>、<code>paying_users</code>、" +
                          "<code>revenue.subscription</code>、<code>cash</code>…），<code>NAME.error</code> " +
                          "列给出该序列自己的相对误差。方案中不确定的区间会收窄到已观测月份所允许的范围，" +
                          "然后重新预测（基于修改后的方案和上方的随机种子）。"],
    "plan.actuals_file": ["Actuals file (CSV or .xlsx)", "实际数据文件（CSV 或 .xlsx）"],
    "plan.default_error": ["Default error", "默认误差"],
    "plan.btn_update": ["Update on actuals", "根据实际数据更新"],
    "plan.error_help": ["Default error: the relative measurement error of a series without a " +
                        "<code>NAME.error</code> column (10% reads as ±10%).",
                        "默认误差：没有 <code>NAME.error</code> 列的序列的相对测量误差（10% 即 ±10%）。"],
    "plan.upd.unreadable": ["Could not read {file}{why}.", "无法读取 {file}{why}。"],
    "plan.upd.no_file": ["Choose the actuals file first: a CSV file or an Excel workbook (.xlsx).",
                         "请先选择实际数据文件：CSV 文件或 Excel 工作簿（.xlsx）。"],
    "plan.upd.too_big": ["{file} is {size}B; the server takes files up to about 700 kB.",
                         "{file} 大小为 {size}B；服务器只接收约 700 kB 以内的文件。"],
    "plan.upd.reading": ["Reading {file}…", "正在读取 {file}…"],
    "plan.upd.busy": ["Updating the plan on {file} ({n} samples; this takes a few seconds)…",
                      "正在根据 {file} 更新方案（{n} 次抽样，需要几秒钟）…"],
    "plan.upd.failed_title": ["Not updated on actuals", "未能根据实际数据更新"],
    "plan.upd.failed_422": ["Not updated: the problems are listed above.", "未更新：问题已列在上方。"],
    "plan.upd.failed": ["Not updated: see the message above.", "未更新：请查看上方的信息。"],
    "plan.upd.now_beyond": ["now beyond the horizon", "现已超出期限"],
    "plan.upd.now_within": ["now within it", "现已在期限内"],
    "plan.upd.observed_1": ["1 observation of {series} in {file} ({period}). ",
                            "{file}（{period}）中 {series} 共 1 个观测值。"],
    "plan.upd.observed": ["{n} observations of {series} in {file} ({period}). ",
                          "{file}（{period}）中 {series} 共 {n} 个观测值。"],
    "plan.upd.conditioned": ["Conditioned by {method}{stages} on {n} samples, seed {seed}.",
                             "以{method}{stages}在 {n} 次抽样上条件化，随机种子 {seed}。"],
    "plan.upd.stages": [" ({stages} stages, {moves} moves)", "（{stages} 个阶段，{moves} 次移动）"],
    "plan.upd.use": ["Use updated plan", "使用更新后的方案"],
    "plan.upd.use_title": ["Replace the plan on this page with the one updated on these actuals",
                           "用根据这些实际数据更新后的方案替换本页的方案"],
    "plan.upd.download": ["Download updated YAML", "下载更新后的 YAML"],
    "plan.upd.used": ["The page now holds the updated plan: edits, Save run, Download YAML and " +
                      "Compare start from it.",
                      "本页现在是更新后的方案：修改、保存运行、下载 YAML 和对比都从它开始。"],
    "plan.upd.h_before_after": ["Before → after", "更新前 → 更新后"],
    "plan.upd.r.month": ["Break-even month, median", "盈亏平衡月份（中位数）"],
    "plan.upd.r.runway": ["Runway, median", "资金跑道（中位数）"],
    "plan.upd.r.ending_cash": ["Cash at the end, median", "期末现金（中位数）"],
    "plan.upd.c.plan": ["Plan", "方案"],
    "plan.upd.c.updated": ["Updated on actuals", "根据实际数据更新后"],
    "plan.upd.h_pva": ["Plan vs actual", "方案与实际对比"],
    "plan.upd.pva_note": ["The plan's median and 80% band (p10–p90, blue, dashed median), the " +
                          "forecast updated on the actuals (orange) and the actuals (dots); the " +
                          "shaded months are observed.",
                          "方案的中位数和 80% 区间（p10–p90，蓝色，中位数为虚线）、根据实际数据更新后的" +
                          "预测（橙色）和实际数据（圆点）；阴影部分为已观测的月份。"],
    "plan.upd.cash_outcome": ["{name} (the outcome)", "{name}（结果）"],
    "plan.upd.chart_label": ["Fan chart of {name}: the plan, the updated forecast and the actuals by " +
                             "month", "{name}扇形图：逐月的方案、更新后的预测和实际数据"],
    "plan.upd.h_variance": ["Variance: each actual against the plan", "偏差：每个实际值与方案对比"],
    "plan.upd.outside_1": ["{k} of {n} observation fell outside the plan's 80% band (p10–p90)",
                           "{n} 个观测值中有 {k} 个落在方案的 80% 区间（p10–p90）之外"],
    "plan.upd.outside_n": ["{k} of {n} observations fell outside the plan's 80% band (p10–p90)",
                           "{n} 个观测值中有 {k} 个落在方案的 80% 区间（p10–p90）之外"],
    "plan.upd.highlighted": [": highlighted.", "，已高亮显示。"],
    "plan.upd.period_end": [".", "。"],
    "plan.upd.c.series": ["Series", "序列"],
    "plan.upd.c.month": ["Month", "月份"],
    "plan.upd.c.actual": ["Actual", "实际值"],
    "plan.upd.c.plan_p": ["Plan {q}", "方案 {q}"],
    "plan.upd.c.updated_p50": ["Updated p50", "更新后 p50"],
    "plan.upd.c.outside": ["Outside the plan's band", "是否超出方案区间"],
    "plan.upd.below": ["below", "低于区间"],
    "plan.upd.above": ["above", "高于区间"],
    "plan.upd.h_changed": ["What the actuals changed", "实际数据改变了什么"],
    "plan.upd.moved": ["{k} of {n} uncertain inputs moved (their 80% range narrowed or shifted). " +
                       "Effect: the change in P(break-even) had only that input's range changed.",
                       "{n} 个不确定输入中有 {k} 个发生了变化（80% 区间收窄或移动）。影响：假如只有该输入" +
                       "的区间改变，盈亏平衡概率的变化。"],
    "plan.upd.none_moved": ["No input's range moved much.", "没有输入的区间有明显变化。"],
    "plan.upd.c.before": ["Before (p10–p90)", "更新前（p10–p90）"],
    "plan.upd.c.after": ["After (p10–p90)", "更新后（p10–p90）"],
    "plan.upd.c.effect": ["Effect on P(break-even)", "对盈亏平衡概率的影响"],
    "plan.upd.columns": ["Columns an actuals file of this plan can have", "此方案的实际数据文件可包含的列"],
    "plan.upd.t.plan": ["Plan", "方案"],
    "plan.upd.t.updated": ["Updated", "更新后"],
    "plan.upd.t.actual": ["Actual", "实际"],
    "plan.upd.t.actual_hover": ["actual", "实际"],

    // ================================================================ the plan page: the sweep panel
    "sweep.title": ["Sweep: a decision map over one or two inputs", "参数扫描：一到两个输入的决策图"],
    "sweep.note": ["Each combination of the values is a cell: the plan as edited, simulated with " +
                   "those inputs held at those values in every sample and every month. Every cell " +
                   "uses the same seed, so the cells differ only by the values. Write values as in " +
                   "the plan, separated by commas: 29, 39, 49 or 1%, 3% (for a percentage, 3 means 3%).",
                   "每个取值组合是一个单元格：按编辑后的方案模拟，并在每个抽样、每个月把这些输入固定为该组取值。" +
                   "所有单元格使用同一随机种子，差别只来自所取的值。取值按方案的写法填写、以逗号分隔：" +
                   "29, 39, 49 或 1%, 3%（百分比中 3 即 3%）。"],
    "sweep.input0": ["Vary", "变动"],
    "sweep.input1": ["and (optional)", "以及（可选）"],
    "sweep.values": ["Values", "取值"],
    "sweep.samples": ["Samples per cell", "每格抽样数"],
    "sweep.figure": ["Heatmap of", "热力图指标"],
    "sweep.run": ["Run sweep", "运行扫描"],
    "sweep.other": ["中文", "English"],
    "sweep.otherLang": ["zh-CN", "en"],
    "sweep.switchTo": ["Show the page in Chinese", "切换为英文（English）"],
    "sweep.pick": ["— pick an input —", "— 选择一个输入 —"],
    "sweep.none": ["— nothing else —", "— 不再变动其他输入 —"],
    "sweep.fig.p_breakeven": ["P(break-even)", "盈亏平衡概率"],
    "sweep.fig.breakeven_month": ["Break-even month, median", "盈亏平衡月份（中位数）"],
    "sweep.fig.npv": ["NPV, median", "净现值（中位数）"],
    "sweep.fig.peak_funding_need": ["Peak funding need, P90", "峰值资金需求 P90"],
    "sweep.fig.p_cash_out": ["P(cash runs out)", "资金耗尽概率"],
    "sweep.cells": ["{n} cells", "{n} 个单元格"],
    "sweep.cell": ["1 cell", "1 个单元格"],
    "sweep.running": ["Simulating {cells} × {samples} samples…", "正在模拟 {cells} × 每格 {samples} 次抽样…"],
    "sweep.needInput": ["Pick an input to vary.", "请选择要变动的输入。"],
    "sweep.needValues": ["Give the values to hold {name} at, separated by commas (e.g. {example}).",
                         "请给出 {name} 的取值，以逗号分隔（例如 {example}）。"],
    "sweep.same": ["Pick two different inputs.", "请选择两个不同的输入。"],
    "sweep.thousands": ["“{got}” would be read as the values {two}: write {one} for one value, or put a space after each comma between values.",
                        "“{got}”会被读作多个取值 {two}：若是一个数请写 {one}；若是多个取值，请在逗号后加空格。"],
    "sweep.tinyPct": ["{got} in a percentage means {got}%: write {pct} for that share, or {got}% if you mean it.",
                      "百分比中的 {got} 表示 {got}%：若指该比例请写 {pct}；若确实如此请写 {got}%。"],
    "sweep.done": ["{cells} × {samples} samples, seed {seed}: every cell with the same random numbers " +
                   "({secs} s on the server).",
                   "{cells} × 每格 {samples} 次抽样，随机种子 {seed}：所有单元格使用相同的随机数（服务器用时 {secs} 秒）。"],
    "sweep.best": ["Best cell by {figure}: {cell} → {value}.", "按{figure}最优的单元格：{cell} → {value}。"],
    "sweep.notRun": ["Not run", "未运行"],
    "sweep.beyond": ["> {h}", "> {h}"],
    "sweep.beyondNote": ["A break-even month beyond the horizon ({h} months) shows as > {h} and counts " +
                         "as the worst.", "盈亏平衡月份超出 {h} 个月期限的记为 > {h}，视为最差。"],
    "sweep.chart": ["Heatmap of {figure}: rows {rows}{cols}", "{figure}热力图：行为{rows}{cols}"],
    "sweep.chartCols": [", columns {cols}", "，列为{cols}"],
    "sweep.tableCaption": ["Every cell of the sweep and all its figures", "扫描的每个单元格及其全部指标"]
  };

  // plotly.js's own words (the charts' mode bar, its messages) in Chinese: plotly's locale
  // dictionary, registered by common.js (the plotly package ships no locale files)
  var PLOTLY_ZH = {
    dictionary: {
      "Autoscale": "自动缩放",
      "Box Select": "矩形框选择",
      "Compare data on hover": "悬停时比较数据",
      "Double-click on legend to isolate one trace": "双击图例以单独显示一条曲线",
      "Double-click to zoom back out": "双击恢复缩放",
      "Download plot": "下载图表",
      "Download plot as a PNG": "下载图表（PNG）",
      "Download plot as JSON": "下载图表（JSON）",
      "Lasso Select": "套索选择",
      "Pan": "平移",
      "Reset axes": "重置坐标轴",
      "Reset view": "重置视图",
      "Share chart": "分享图表",
      "Share chart...": "分享图表…",
      "Show closest data on hover": "悬停时显示最近的数据",
      "Snapshot succeeded": "快照已生成",
      "Sorry, there was a problem downloading your image!": "抱歉，下载图片时出现问题！",
      "Sorry, there was a problem downloading your JSON file!": "抱歉，下载 JSON 文件时出现问题！",
      "Taking snapshot - this may take a few seconds": "正在生成快照，可能需要几秒钟",
      "Toggle Spike Lines": "切换辅助线",
      "Zoom": "缩放",
      "Zoom in": "放大",
      "Zoom out": "缩小"
    },
    format: {
      days: ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
      shortDays: ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
      months: ["一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"],
      shortMonths: ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
      date: "%Y-%m-%d"
    }
  };

  // ---------------------------------------------------------------- the page's language
  // "en" or "zh": from the address (?lang=zh), else the tab's session (sessionStorage), else
  // English. The choice is kept for the tab's session, and links between the pages carry it.
  var KEY = "breakeven.lang";
  var current = (function () {
    var q = new URLSearchParams(location.search).get("lang");
    if (q) {
      q = /^zh/i.test(q) ? "zh" : "en";
      try { sessionStorage.setItem(KEY, q); } catch (e) { /* storage off: the address says it */ }
      return q;
    }
    try { return sessionStorage.getItem(KEY) === "zh" ? "zh" : "en"; } catch (e) { return "en"; }
  })();

  function lang() { return current; }

  /** The string `key` in the page's language (English when it has no Chinese), its {names}
      replaced by args. An unknown key is shown as itself (and the tests catch it). */
  function t(key, args) {
    var entry = W[key];
    var s = entry ? (current === "zh" && entry[1] !== undefined ? entry[1] : entry[0]) : key;
    if (args) {
      Object.keys(args).forEach(function (k) { s = s.split("{" + k + "}").join(String(args[k])); });
    }
    return s;
  }
  function has(key) { return Object.prototype.hasOwnProperty.call(W, key); }

  /** A link to one of the pages, carrying the language when it is Chinese. */
  function href(path) {
    var u = new URL(path, location.origin);
    if (current === "zh") u.searchParams.set("lang", "zh"); else u.searchParams.delete("lang");
    return u.pathname + u.search + u.hash;
  }

  /** The words of the static parts of a page (or of root): [data-i18n] (text),
      [data-i18n-html] (our own markup, never user text), [data-i18n-attr] ("attr:key;attr:key");
      the document's language; the links between pages; the language switch. */
  function apply(root) {
    root = root || document;
    var each = function (sel, fn) { Array.prototype.forEach.call(root.querySelectorAll(sel), fn); };
    each("[data-i18n]", function (n) { n.textContent = t(n.getAttribute("data-i18n")); });
    each("[data-i18n-html]", function (n) { n.innerHTML = t(n.getAttribute("data-i18n-html")); });
    each("[data-i18n-attr]", function (n) {
      n.getAttribute("data-i18n-attr").split(";").forEach(function (pair) {
        var i = pair.indexOf(":");
        if (i > 0) n.setAttribute(pair.slice(0, i).trim(), t(pair.slice(i + 1).trim()));
      });
    });
    each("a[href^='/']", function (a) {
      var h = a.getAttribute("href");
      if (/^\/(static|api)\//.test(h) || /^\/\//.test(h)) return;
      a.setAttribute("href", href(h));
    });
    each(".lang-toggle [data-lang]", function (b) {
      var on = b.getAttribute("data-lang") === current;
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.setAttribute("title", t(b.getAttribute("data-lang") === "zh" ? "common.to_zh" : "common.to_en"));
    });
    if (root === document) document.documentElement.lang = current === "zh" ? "zh-CN" : "en";
  }

  /** Switch the page's language: kept for the session and in the address, the static words
      redrawn, and `breakeven:lang` sent for the page's scripts to redraw the rest. */
  function setLang(l) {
    l = l === "zh" ? "zh" : "en";
    if (l === current) return l;
    current = l;
    try { sessionStorage.setItem(KEY, l); } catch (e) { /* storage off */ }
    var params = new URLSearchParams(location.search);
    if (l === "zh") params.set("lang", "zh"); else params.delete("lang");
    var q = params.toString();
    history.replaceState(history.state, "", location.pathname + (q ? "?" + q : "") + location.hash);
    apply(document);
    document.dispatchEvent(new CustomEvent("breakeven:lang", { detail: { lang: l } }));
    return l;
  }

  document.addEventListener("click", function (e) {
    var b = e.target && e.target.closest ? e.target.closest(".lang-toggle [data-lang]") : null;
    if (b) setLang(b.getAttribute("data-lang"));
  });

  window.I18N = { lang: lang, setLang: setLang, t: t, has: has, href: href, apply: apply, strings: W,
                  plotly: PLOTLY_ZH };
  apply(document);  // loaded at the end of the body, before the page's scripts: the page is there
})();
