"""Words of the reports in English and Simplified Chinese.

``lang`` is ``"en"`` or ``"zh"``; ``None`` means the locale's language (``LC_ALL``,
``LC_MESSAGES`` or ``LANG`` starting with ``zh`` → Chinese, anything else → English).
Labels of ledger lines, KPIs and metrics are not here: they are declared with the outputs
(:mod:`breakeven.engine.outputs`) and read through :func:`label`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..format import LANGS, default_lang, resolve  # noqa: F401  (the report's API)

if TYPE_CHECKING:  # the words load without the engine: `infer` and `train` print with them
    from ..engine.outputs import OutputTable

STRINGS: dict[str, dict[str, str]] = {
    # ---------------------------------------------------------------- headline
    "headline.none": {
        "en": "No break-even within {H} months in any outcome",
        "zh": "{H} 个月内所有情形均未盈亏平衡",
    },
    "headline.some": {
        "en": "Break-even by month {H} in {p} of outcomes",
        "zh": "{H} 个月内实现盈亏平衡的概率为 {p}",
    },
    "headline.median": {"en": "; median month {m}", "zh": "；盈亏平衡月份中位数为第 {m}"},
    "headline.median_none": {
        "en": "; the median outcome does not break even",
        "zh": "；中位情形未能盈亏平衡",
    },
    "headline.cash": {
        "en": "; cash needed P50 {p50} / P90 {p90}",
        "zh": "；所需资金 P50 {p50} / P90 {p90}",
    },
    # ---------------------------------------------------------------- general
    "samples_seed": {
        "en": "{samples} samples, seed {seed}, {months} months from {start}, {currency}",
        "zh": "{samples} 次抽样，随机种子 {seed}，自 {start} 起 {months} 个月，{currency}",
    },
    "p_breakeven": {"en": "P(break-even within horizon)", "zh": "期内盈亏平衡概率"},
    "p_cash_out": {"en": "P(cash runs out)", "zh": "资金耗尽概率"},
    "median_breakeven": {"en": "Median break-even month", "zh": "盈亏平衡月份中位数"},
    "peak_need": {"en": "Peak funding need", "zh": "峰值资金需求"},
    "npv_p50": {"en": "NPV (median)", "zh": "净现值（中位数）"},
    "ending_cash_p50": {"en": "Ending cash (median)", "zh": "期末现金（中位数）"},
    "metrics": {"en": "Metrics", "zh": "指标"},
    "metric": {"en": "metric", "zh": "指标"},
    "mean": {"en": "mean", "zh": "均值"},
    "undefined": {"en": "undefined", "zh": "未发生"},
    "definition": {"en": "definition", "zh": "定义"},
    "line": {"en": "line", "zh": "科目"},
    "year_n": {"en": "year {n}", "zh": "第 {n} 年"},
    "yearly_title": {"en": "Yearly totals, mean over samples", "zh": "年度合计（各样本均值）"},
    "cash_end_year": {"en": "cash (end of year)", "zh": "现金（年末）"},
    "month": {"en": "Month", "zh": "月份"},
    "month_n": {"en": "M{n}", "zh": "{n}月"},
    "beyond": {"en": "> {H}", "zh": "> {H}"},
    "never": {"en": "never", "zh": "未发生"},
    "months_unit": {"en": "months", "zh": "个月"},
    "median": {"en": "median", "zh": "中位数"},
    "band50": {"en": "50% band", "zh": "50% 区间"},
    "band80": {"en": "80% band", "zh": "80% 区间"},
    "probability": {"en": "Probability", "zh": "概率"},
    "share_of_samples": {"en": "share of samples", "zh": "样本占比"},
    "amount": {"en": "Amount", "zh": "金额"},
    "users": {"en": "Users", "zh": "用户数"},
    "per_user_month": {"en": "per user per month", "zh": "每用户每月"},
    # ---------------------------------------------------------------- report sections
    "report_title": {"en": "breakeven report", "zh": "breakeven 报告"},
    "compare_title": {"en": "breakeven comparison", "zh": "breakeven 方案对比"},
    "contents": {"en": "Contents", "zh": "目录"},
    "sec.summary": {"en": "Answer", "zh": "结论"},
    "sec.revenue_cost": {"en": "Revenue and total cost", "zh": "收入与总成本"},
    "sec.cash": {"en": "Cash balance", "zh": "现金余额"},
    "sec.users": {"en": "Users", "zh": "用户"},
    "sec.breakeven": {"en": "When does it break even?", "zh": "何时盈亏平衡？"},
    "sec.funding_need": {"en": "How much cash is needed?", "zh": "需要多少资金？"},
    "sec.unit_economics": {"en": "Unit economics", "zh": "单位经济模型"},
    "sec.user_margins": {"en": "Margin by user type", "zh": "不同用户的利润"},
    "sec.cost_breakdown": {"en": "Where the money goes", "zh": "成本构成"},
    "sec.tornado": {"en": "What decides it", "zh": "关键影响因素"},
    "sec.milestones": {"en": "Milestones", "zh": "里程碑"},
    "sec.metrics": {"en": "Metrics", "zh": "指标"},
    "sec.statement": {"en": "Yearly statement", "zh": "年度报表"},
    "sec.assumptions": {"en": "Assumptions", "zh": "假设"},
    "sec.method": {"en": "Method", "zh": "方法"},
    "sec.plans": {"en": "Plans", "zh": "方案"},
    "sec.beats": {"en": "Which plan wins?", "zh": "哪个方案更好？"},
    "note.revenue_cost": {
        "en": "Monthly revenue against total cost (cost of revenue + operating expenses). "
        "Lines are medians; shaded bands hold the middle 50% and 80% of outcomes.",
        "zh": "每月收入与总成本（营业成本 + 运营费用）。线为中位数，阴影为中间 50% 与 80% 的情形。",
    },
    "note.cash": {
        "en": "Cash at the end of each month, after funding. Below the zero line the plan has "
        "run out of money.",
        "zh": "每月末现金余额（含融资）。低于零线即资金耗尽。",
    },
    "note.cash_rounds": {"en": "Dotted lines mark funding rounds.", "zh": "虚线标出融资轮次。"},
    "note.users": {
        "en": "{what} at the end of each month: median and bands.",
        "zh": "每月末{what}：中位数与区间。",
    },
    "note.breakeven": {
        "en": "Share of outcomes that have reached a month with EBITDA ≥ 0 by each month "
        "(first break-even month, cumulative).",
        "zh": "截至每个月已出现 EBITDA ≥ 0 月份的情形占比（首次盈亏平衡月份的累积分布）。",
    },
    "note.funding_need": {
        "en": "Largest cumulative cash deficit before funding, across outcomes: the money the "
        "plan needs from investors or the bank.",
        "zh": "融资前累计现金缺口的最大值在各情形中的分布：即需要向投资人或银行筹集的资金。",
    },
    "note.unit_economics": {
        "en": "Revenue and costs per {units} per month over {period}, from the ledger (mean "
        "over all samples).",
        "zh": "{period}每{units}每月的收入与成本，来自账簿（全部样本均值）。",
    },
    "note.unit_economics_free": {
        "en": "Per paying user, free users' serving cost is carried by the payers.",
        "zh": "按付费用户计算时，免费用户的服务成本由付费用户分摊。",
    },
    "note.user_margins": {
        "en": "Monthly revenue, fees, serving cost and margin of a median, heavy (p90) and very "
        "heavy (p99) user.",
        "zh": "中位用户、重度用户（p90）和极重度用户（p99）每月的收入、费用、服务成本与利润。",
    },
    "note.user_margin_series": {
        "en": "Monthly margin of the average, median (p50), heavy (p90) and very heavy (p99) "
        "paying user: what they pay after fees, minus what serving them costs (mean over "
        "samples). Below zero, that user loses money on a flat price.",
        "zh": "平均、中位（p50）、重度（p90）和极重度（p99）付费用户每月的利润：扣除费用后的付费金额"
        "减去为其提供服务的成本（各样本均值）。低于零表示统一定价下该用户在亏钱。",
    },
    "margin_per_payer": {"en": "Margin per paying user per month", "zh": "每付费用户每月利润"},
    "note.cost_breakdown": {
        "en": "Cost of revenue and operating expenses by kind, mean over samples (means add up).",
        "zh": "营业成本与运营费用按类别拆分，取各样本均值（均值可相加）。",
    },
    "note.tornado": {
        "en": "Each bar moves one input from its low to its high value, all others held at their "
        "median, and shows the change in {metric}. Largest swing on top.",
        "zh": "每根条形把一个输入从低值调到高值，其余输入保持中位数，显示{metric}的变化。影响最大的在最上方。",
    },
    "note.tornado_same": {
        "en": "The same tornado as `breakeven sensitivity` with {samples} samples and seed {seed}.",
        "zh": "与 `breakeven sensitivity`（{samples} 个样本、随机种子 {seed}）给出的结果相同。",
    },
    "note.tornado_missing": {
        "en": "Sensitivity analysis is not available: {why}",
        "zh": "敏感性分析不可用：{why}",
    },
    "note.milestones": {
        "en": "Probability that each milestone is met by its month.",
        "zh": "各里程碑在其月份前达成的概率。",
    },
    "note.statement": {
        "en": "Yearly totals of the ledger, mean over all samples (means add up, so the statement "
        "sums).",
        "zh": "账簿年度合计，取全部样本均值（均值可相加，报表自洽）。",
    },
    "note.assumptions": {
        "en": "Every input of the scenario as the model read it: its distribution, where it is "
        "used, and the 10th/50th/90th percentile of the values drawn.",
        "zh": "模型读取到的每个输入：其分布、使用位置，以及抽样值的第 10/50/90 百分位。",
    },
    "note.method": {
        "en": "Monte Carlo simulation: {samples} samples drawn with seed {seed}, stepped month by "
        "month over {months} months. Monthly bands come from {kept} kept samples; metric "
        "quantiles and probabilities from all samples. Income tax is not modelled.",
        "zh": "蒙特卡洛模拟：以随机种子 {seed} 抽取 {samples} 个样本，按月推演 {months} 个月。"
        "月度区间来自保留的 {kept} 个样本，指标分位数与概率来自全部样本。未考虑所得税。",
    },
    "note.compare": {
        "en": "Medians (lines) and 80% bands (shaded) of each plan on the same axes.",
        "zh": "各方案的中位数（线）与 80% 区间（阴影）画在同一坐标轴上。",
    },
    "note.beats": {
        "en": "P(row has a higher NPV than column), pairing samples by index (common random "
        "numbers when the plans share a seed).",
        "zh": "P(行方案净现值高于列方案)，按样本序号配对（同一随机种子时为共同随机数）。",
    },
    "input": {"en": "input", "zh": "输入"},
    "distribution": {"en": "distribution", "zh": "分布"},
    "domain": {"en": "domain", "zh": "取值范围"},
    "used_at": {"en": "used at", "zh": "使用位置"},
    "fixed": {"en": "fixed", "zh": "固定值"},
    "milestone": {"en": "milestone", "zh": "里程碑"},
    "conditions": {"en": "its conditions hold and it closes", "zh": "条件满足且完成融资"},
    "condition": {"en": "condition", "zh": "条件"},
    "by_month": {"en": "by month", "zh": "截止月份"},
    "plan": {"en": "plan", "zh": "方案"},
    "low": {"en": "low", "zh": "低值"},
    "high": {"en": "high", "zh": "高值"},
    "input_low": {"en": "input low", "zh": "输入取低值"},
    "input_high": {"en": "input high", "zh": "输入取高值"},
    "swing": {"en": "swing", "zh": "变化幅度"},
    "per_paying_user": {"en": "Per paying user", "zh": "每付费用户"},
    "per_active_user": {"en": "Per active user", "zh": "每活跃用户"},
    "per_deployed_account": {"en": "Per deployed account", "zh": "每个已部署客户"},
    "per_paid_seat": {"en": "Per paid seat", "zh": "每个付费席位"},
    "per_seat": {"en": "Per seat", "zh": "每个席位"},
    "per_account": {"en": "Per account", "zh": "每个客户"},
    "ut.mean": {"en": "Average user", "zh": "平均用户"},
    "ut.p50": {"en": "Median user (p50)", "zh": "中位用户 (p50)"},
    "ut.p90": {"en": "Heavy user (p90)", "zh": "重度用户 (p90)"},
    "ut.p99": {"en": "Very heavy user (p99)", "zh": "极重度用户 (p99)"},
    "ue.revenue": {"en": "Revenue", "zh": "收入"},
    "ue.fees": {"en": "Fees", "zh": "渠道与支付费用"},
    "ue.serving": {"en": "Serving cost", "zh": "推理服务成本"},
    "ue.other_cogs": {"en": "Other costs", "zh": "其他成本"},
    "ue.margin": {"en": "Margin", "zh": "毛利"},
    "ue.last_year": {"en": "the last 12 months", "zh": "最后 12 个月"},
    "ue.horizon": {"en": "the whole horizon", "zh": "整个期间"},
    "total_cost": {"en": "Total cost", "zh": "总成本"},
    "zero": {"en": "zero", "zh": "零"},
    "funding_event": {"en": "funding", "zh": "融资"},
    "cdf_title": {"en": "P(break-even by month)", "zh": "截至各月盈亏平衡的概率"},
    "never_within": {
        "en": "No break-even within the horizon in {p} of outcomes",
        "zh": "{p} 的情形在期内未盈亏平衡",
    },
    "generated_by": {"en": "Made with breakeven {version}.", "zh": "由 breakeven {version} 生成。"},
    "no_users": {"en": "This plan has no user counts.", "zh": "此方案没有用户数据。"},
    "no_milestones": {"en": "No milestones in this plan.", "zh": "此方案未设置里程碑。"},
    # ---------------------------------------------------------------- plan vs actual
    "sec.actuals": {"en": "Plan vs actual", "zh": "计划与实际"},
    "note.actuals": {
        "en": "Actuals from {file} ({period}) against the plan's P10, median and P90 for the same "
        "months; rows outside the plan's 80% band are highlighted. The charts above mark the "
        "actuals as points.",
        "zh": "来自 {file}（{period}）的实际数据与计划同月的 P10、中位数和 P90 对比；"
        "落在计划 80% 区间之外的行已高亮。上方图表以圆点标出实际值。",
    },
    "outside_count": {
        "en": "{k} of {n} observations fell outside the plan's 80% band.",
        "zh": "{n} 个观测值中有 {k} 个落在计划的 80% 区间之外。",
    },
    "outside_rows": {
        "en": "Observations outside the plan's 80% band",
        "zh": "落在计划 80% 区间之外的观测值",
    },
    "series": {"en": "series", "zh": "序列"},
    "month_col": {"en": "month", "zh": "月份"},
    "actual": {"en": "Actual", "zh": "实际"},
    "plan_p": {"en": "plan {p}", "zh": "计划 {p}"},
    "updated_p": {"en": "updated {p}", "zh": "更新后 {p}"},
    "outside": {"en": "outside the plan's 80% band", "zh": "超出计划 80% 区间"},
    "below": {"en": "below", "zh": "偏低"},
    "above": {"en": "above", "zh": "偏高"},
    # ---------------------------------------------------------------- update report
    "upd.title": {"en": "breakeven update on actuals", "zh": "breakeven 实际数据更新"},
    "upd.meta": {"en": "updated on {file}, {period}", "zh": "基于 {file}（{period}）更新"},
    "upd.sec.sampler": {"en": "How the sampler did", "zh": "抽样情况"},
    "upd.sec.headline": {"en": "Before and after", "zh": "更新前后"},
    "upd.sec.plan_vs_actual": {"en": "Plan vs actual", "zh": "计划与实际"},
    "upd.sec.variance": {"en": "Variance", "zh": "偏差"},
    "upd.sec.changes": {"en": "What changed", "zh": "哪些假设变了"},
    "upd.sec.method": {"en": "How this was computed", "zh": "计算方法"},
    "upd.sec.plan_yaml": {"en": "Updated plan", "zh": "更新后的方案"},
    "upd.plan": {"en": "Plan", "zh": "计划"},
    "upd.updated": {"en": "Updated", "zh": "更新后"},
    "upd.updated_forecast": {"en": "Updated forecast", "zh": "更新后的预测"},
    "upd.be_p50": {"en": "Break-even month (median)", "zh": "盈亏平衡月份（中位数）"},
    "upd.runway_p50": {"en": "Runway (median)", "zh": "现金可支撑月数（中位数）"},
    "upd.f.method": {"en": "Method", "zh": "方法"},
    "upd.f.ess": {
        "en": "Effective sample size of the plan's samples",
        "zh": "计划样本的有效样本量",
    },
    "upd.f.stages": {"en": "Tempering stages and moves", "zh": "退火阶段与移动"},
    "upd.f.samples": {"en": "Samples", "zh": "样本数"},
    "upd.f.distinct": {"en": "Distinct samples after conditioning", "zh": "条件化后互不相同的样本"},
    "upd.f.observations": {"en": "Observations", "zh": "观测值"},
    "upd.ess_value": {"en": "{ess} of {n} ({share})", "zh": "{n} 个中的 {ess}（{share}）"},
    "upd.stages_value": {
        "en": "{stages} stages, {moves} moves, mean acceptance {acc}",
        "zh": "{stages} 个阶段，{moves} 次移动，平均接受率 {acc}",
    },
    "upd.no_moves": {
        "en": "none: importance weighting moves no sample",
        "zh": "无：重要性加权不移动样本",
    },
    "upd.obs_value": {
        "en": "{n} of {series} series over {months} months",
        "zh": "{series} 个序列、{months} 个月，共 {n} 个",
    },
    "upd.m.importance weighting": {"en": "importance weighting", "zh": "重要性加权"},
    "upd.m.sequential Monte Carlo": {
        "en": "sequential Monte Carlo (likelihood tempering)",
        "zh": "序贯蒙特卡洛（似然退火）",
    },
    "upd.m.sequential Monte Carlo (stopped before the full likelihood)": {
        "en": "sequential Monte Carlo (stopped before the full likelihood)",
        "zh": "序贯蒙特卡洛（未达到完整似然即停止）",
    },
    "upd.m.none": {"en": "none", "zh": "无"},
    "upd.note.headline": {
        "en": "The plan as made against the plan conditioned on the actuals, over the whole "
        "horizon.",
        "zh": "原计划与根据实际数据条件化后的计划在整个期间上的对比。",
    },
    "upd.note.plan_vs_actual": {
        "en": "Each observed series (and cash): the plan's median and 80% band (light), the "
        "updated forecast's (darker), and the actuals (points).",
        "zh": "每个观测序列（及现金）：计划的中位数与 80% 区间（浅色）、更新后预测的中位数与区间"
        "（深色），以及实际值（圆点）。",
    },
    "upd.note.changes": {
        "en": "Inputs whose 80% range (P10–P90) narrowed by at least 20% or whose median moved by "
        "more than 15% of that range. The effect is the change in P(break-even) had only that "
        "input's range changed. In the chart each input's ranges are drawn on the scale of its "
        "plan range (0 = plan P10, 1 = plan P90); ticks mark the medians.",
        "zh": "80% 区间（P10–P90）收窄至少 20%，或中位数移动超过该区间 15% 的输入。"
        "影响是指仅该输入的区间改变时盈亏平衡概率的变化。图中每个输入的区间按其计划区间缩放"
        "（0 = 计划 P10，1 = 计划 P90），竖线标出中位数。",
    },
    "upd.c.before": {"en": "plan P10–P90", "zh": "计划 P10–P90"},
    "upd.c.after": {"en": "updated P10–P90", "zh": "更新后 P10–P90"},
    "upd.c.narrowing": {"en": "narrowed by", "zh": "收窄幅度"},
    "upd.c.effect": {"en": "effect on P(break-even)", "zh": "对盈亏平衡概率的影响"},
    "upd.widened": {"en": "widened {x}", "zh": "放宽 {x}"},
    "upd.pp": {"en": "{x} pts", "zh": "{x} 个百分点"},
    "upd.unmoved": {"en": "Inputs that did not move ({n}):", "zh": "未明显变化的输入（{n} 个）："},
    "upd.none_moved": {"en": "No input's range moved much.", "zh": "没有哪个输入的区间明显变化。"},
    "upd.ranges_axis": {
        "en": "Position in the plan's 80% range (0 = plan P10, 1 = plan P90)",
        "zh": "在计划 80% 区间中的位置（0 = 计划 P10，1 = 计划 P90）",
    },
    "upd.method": {
        "en": "Every sample of the plan is a function of its random inputs, so updating on actuals "
        "reweights the plan's own samples by how well they reproduce what was observed. Each "
        "observed value is compared with the plan's value for that month with a relative "
        "measurement error (the file's NAME.error column, or the default): lognormal for series "
        "that cannot be negative (users, revenue, costs), normal for those that can (cash, "
        "EBITDA). When the effective sample size of the weighted plan is at least half the "
        "samples, the samples are resampled by their weights (importance weighting); otherwise "
        "the likelihood is brought in gradually (tempered sequential Monte Carlo) and the "
        "samples are moved between stages by preconditioned Crank–Nicolson proposals, which "
        "keep the plan's distributions and correlations. The update refuses when no sample "
        "reproduces a series within 3 standard errors: the actuals are then incompatible with "
        "the plan. The updated forecast simulates the conditioned samples over the whole "
        "horizon.",
        "zh": "计划的每个样本都由其随机输入决定，因此根据实际数据更新就是按各样本对观测值的"
        "重现程度重新加权计划自身的样本。每个观测值与计划当月的值比较，采用相对测量误差"
        "（文件中的 NAME.error 列，或默认值）：不能为负的序列（用户、收入、成本）用对数正态误差，"
        "可以为负的序列（现金、EBITDA）用正态误差。若加权后的有效样本量不少于样本数的一半，"
        "则按权重重抽样（重要性加权）；否则逐步引入似然（退火序贯蒙特卡洛），并在各阶段之间用"
        "预条件 Crank–Nicolson 提议移动样本，保持计划的分布与相关性不变。若没有任何样本能在 3 个"
        "标准误差内重现某个序列，则拒绝更新：实际数据与计划不相容。更新后的预测是把条件化后的"
        "样本在整个期间上重新模拟的结果。",
    },
    "upd.yaml_summary": {
        "en": "The plan with its narrowed ranges (YAML)",
        "zh": "区间收窄后的方案（YAML）",
    },
    "upd.note.yaml": {
        "en": "Each moved input's range is its updated 90% interval. To update again later, update "
        "the original plan on all the actuals, not this one on the same months twice.",
        "zh": "每个变化输入的区间为其更新后的 90% 区间。以后再次更新时，请用原方案对全部实际数据"
        "更新，而不要用本方案对相同月份重复更新。",
    },
    "upd.t.headline": {"en": "Before → after", "zh": "更新前 → 更新后"},
    "upd.t.moved": {"en": "Inputs that moved", "zh": "变化的输入"},
    # the narrative sentence, in Chinese built from the update's facts (English: the analysis's)
    "upd.n.what": {
        "en": "{n} months of actuals ({period})",
        "zh": "{n} 个月的实际数据（{period}）",
    },
    "upd.n.moved": {
        "en": "{what} moved P(break-even) from {p0} to {p1}",
        "zh": "{what}使期内盈亏平衡概率从 {p0} 变为 {p1}",
    },
    "upd.n.left": {
        "en": "{what} left P(break-even) at {p1}",
        "zh": "{what}之后，期内盈亏平衡概率仍为 {p1}",
    },
    "upd.n.none_moved": {
        "en": "; no input's range moved much.",
        "zh": "；没有哪个输入的区间明显变化。",
    },
    "upd.n.mostly": {"en": ", mostly by {phrase}.", "zh": "，主要是因为{phrase}。"},
    "upd.n.mainly": {"en": "; the actuals mainly {phrase}.", "zh": "；实际数据主要{phrase}。"},
    "upd.p.cut_high": {
        "en": "ruling out {label} above {v}",
        "zh": "排除了 {label} 高于 {v} 的可能",
    },
    "upd.p.cut_low": {"en": "ruling out {label} below {v}", "zh": "排除了 {label} 低于 {v} 的可能"},
    "upd.p.narrow": {"en": "narrowing {label} to {a}–{b}", "zh": "把 {label} 收窄到 {a}–{b}"},
    "upd.p.move": {"en": "moving {label} from {a} to {b}", "zh": "把 {label} 从 {a} 调整为 {b}"},
    # ---------------------------------------------------------------- commands: shared
    "wrote": {"en": "wrote {path}", "zh": "已写入 {path}"},
    "warning": {"en": "warning:", "zh": "警告："},
    "yes": {"en": "True", "zh": "是"},
    "no": {"en": "False", "zh": "否"},
    # ---------------------------------------------------------------- distributions
    # (English: as Dist.describe() writes them; numbers formatted in the language)
    "dist.normal": {
        "en": "normal(mean {mean}, sd {sd})",
        "zh": "正态分布（均值 {mean}，标准差 {sd}）",
    },
    "dist.lognormal": {
        "en": "lognormal(median {median}, 90% in {a} to {b})",
        "zh": "对数正态分布（中位数 {median}，90% 区间 {a} 至 {b}）",
    },
    "dist.rate": {
        "en": "rate(median {median}, 90% in {a} to {b})",
        "zh": "增长率分布（中位数 {median}，90% 区间 {a} 至 {b}）",
    },
    "dist.logitnormal": {
        "en": "logit-normal(median {median}, 90% in {a} to {b})",
        "zh": "Logit 正态分布（中位数 {median}，90% 区间 {a} 至 {b}）",
    },
    "dist.uniform": {"en": "uniform({low}, {high})", "zh": "均匀分布（{low} 至 {high}）"},
    "dist.triangular": {
        "en": "triangular({low}, {mode}, {high})",
        "zh": "三角分布（最小 {low}，最可能 {mode}，最大 {high}）",
    },
    "dist.beta": {
        "en": "beta({alpha}, {beta}) on [{low}, {high}]",
        "zh": "Beta 分布（α = {alpha}，β = {beta}），取值范围 [{low}, {high}]",
    },
    "dist.pert": {
        "en": "pert({low}, {mode}, {high})",
        "zh": "PERT 分布（最小 {low}，最可能 {mode}，最大 {high}）",
    },
    "dist.choice": {"en": "choice({parts})", "zh": "离散取值（{parts}）"},
    "dist.choice_part": {"en": "{v} ({w})", "zh": "{v}（{w}）"},
    "dom.positive": {"en": "positive", "zh": "正数"},
    "dom.nonnegative": {"en": "nonnegative", "zh": "非负数"},
    "dom.real": {"en": "real", "zh": "实数"},
    "dom.rate": {"en": "rate", "zh": "增长率（> -100%）"},
    "dom.fraction": {"en": "fraction", "zh": "比例（0–1）"},
    "dom.count": {"en": "count", "zh": "计数"},
    # ---------------------------------------------------------------- sensitivity
    "sens.t.title": {
        "en": "What moves {metric} — {name} (every input at its median: {base})",
        "zh": "影响{metric}的因素 — {name}（所有输入取中位数时为 {base}）",
    },
    "sens.t.caption": {
        "en": "{metric} with the input at its p10 / p90 and all others at their medians; "
        "cond. swing = mean over the top minus bottom decile of a Monte Carlo run",
        "zh": "该输入取 P10 / P90、其余输入取中位数时的{metric}；条件变化幅度 = 蒙特卡洛模拟中"
        "该输入最高 10% 与最低 10% 样本的{metric}均值之差",
    },
    "sens.c.range": {"en": "p10 → p90", "zh": "P10 → P90"},
    "sens.c.at_low": {"en": "at p10", "zh": "取低值"},
    "sens.c.at_high": {"en": "at p90", "zh": "取高值"},
    "sens.c.cond_swing": {"en": "cond. swing", "zh": "条件 变化幅度"},
    "sens.months": {"en": "{x} months", "zh": "{x} 个月"},
    "sens.n.month": {
        "en": "{metric}: samples in which it does not happen within the {H}-month horizon count "
        "as month {H1}.",
        "zh": "{metric}：在 {H} 个月期内未发生的样本按第 {H1} 个月计。",
    },
    "sens.n.correlations": {
        "en": "One-at-a-time swings hold the other inputs at their medians, ignoring declared "
        "correlations; the conditional swings include them.",
        "zh": "逐一变动时其他输入固定在中位数，未考虑已声明的相关性；条件变化幅度则包含这些相关性。",
    },
    "sens.n.conditional": {
        "en": "Conditional: mean {metric} over the {m} samples (of {n}) with the input in its "
        "bottom vs top {share}.",
        "zh": "条件法：比较该输入处于最低与最高 {share} 的样本（各 {m} 个，共 {n} 个）的{metric}均值。",
    },
    "sens.n.no_inputs": {
        "en": "The scenario has no uncertain inputs.",
        "zh": "此方案没有不确定的输入。",
    },
    # why a report has no tornado (View.tornado_missing, and AnalysisError texts of tornado())
    "why.not requested": {"en": "not requested", "zh": "未要求计算"},
    "why.no uncertain inputs": {"en": "no uncertain inputs", "zh": "此方案没有不确定的输入"},
    "why.the conditional method needs at least 2 samples": {
        "en": "the conditional method needs at least 2 samples",
        "zh": "条件法至少需要 2 个样本",
    },
    "sens.s.title": {
        "en": "Share of the variance of {metric} — {name}",
        "zh": "各输入对{metric}方差的贡献 — {name}",
    },
    "sens.s.s1": {"en": "first order S1", "zh": "一阶指数 S1"},
    "sens.s.st": {"en": "total ST", "zh": "总效应指数 ST"},
    "sens.s.footer": {
        "en": "{n} simulations (base sample {n_base}); 95% intervals by bootstrap. {note}",
        "zh": "共 {n} 次模拟（基础样本 {n_base}）；95% 区间由自助法（bootstrap）估计。{note}",
    },
    "sens.s.trustworthy": {
        "en": "indices are precise enough to rank the inputs",
        "zh": "指数的精度足以对各输入排序",
    },
    "sens.w.rounded": {
        "en": "n_base rounded up from {requested} to {n_base} (Sobol designs need a power of 2).",
        "zh": "基础样本数已从 {requested} 向上取整为 {n_base}（Sobol 设计要求 2 的幂）。",
    },
    "sens.w.no_inputs": {
        "en": "no uncertain inputs: nothing to apportion.",
        "zh": "没有不确定的输入：没有可分解的方差。",
    },
    "sens.w.not_finite": {
        "en": "{bad} model values are not finite; indices not computed.",
        "zh": "有 {bad} 个模型输出不是有限数，未计算指数。",
    },
    "sens.w.constant": {
        "en": "the output does not vary over the inputs: all indices are 0.",
        "zh": "输出不随输入变化：所有指数均为 0。",
    },
    "sens.w.wide": {
        "en": "confidence intervals up to {width} wide (> {max_width}); increase the base sample "
        "(now {n_base}).",
        "zh": "置信区间宽度最大为 {width}（> {max_width}）；请增大基础样本（当前为 {n_base}）。",
    },
    "sens.w.sum": {
        "en": "first-order indices sum to {total} (> 1.1): the sample is too small.",
        "zh": "一阶指数之和为 {total}（> 1.1）：样本太小。",
    },
    "sens.w.negative": {
        "en": "negative first-order index beyond its interval for {inputs}: the sample is too "
        "small.",
        "zh": "{inputs} 的一阶指数为负且超出其置信区间：样本太小。",
    },
    "sens.w.total_below": {
        "en": "total index below first-order index for {inputs}: the sample is too small.",
        "zh": "{inputs} 的总效应指数低于一阶指数：样本太小。",
    },
    "sens.w.correlations": {
        "en": "declared correlations are ignored: Sobol indices assume independent inputs.",
        "zh": "已忽略声明的相关性：Sobol 指数假设各输入相互独立。",
    },
    # ---------------------------------------------------------------- goal-seek
    "gs.head": {
        "en": "{target} by varying {label} in [{low}, {high}]: {mark}",
        "zh": "目标“{target}”：在 [{low}, {high}] 内调整 {label}，{mark}",
    },
    "gs.found": {"en": "found", "zh": "已找到"},
    "gs.unreachable": {"en": "not reachable", "zh": "无法达到"},
    "gs.now": {
        "en": "now in the plan: {current}; {iterations} simulations of {samples} samples, "
        "seed {seed}",
        "zh": "方案当前设定：{current}；共模拟 {iterations} 次，每次 {samples} 个样本，"
        "随机种子 {seed}",
    },
    "gs.dir.at or above": {"en": "at or above", "zh": "不低于"},
    "gs.dir.at or below": {"en": "at or below", "zh": "不高于"},
    "gs.m.crossing": {
        "en": "{target} holds with {label} {direction} {value} ({figure} = {achieved} there). "
        "The plan itself is unchanged: the search held {label} at each value tried, in "
        "[{low}, {high}].",
        "zh": "当 {label} {direction} {value} 时，目标“{target}”成立（该取值下{figure}为 {achieved}）。"
        "方案本身未改变：搜索时把 {label} 依次固定在 [{low}, {high}] 内的各个试算值上。",
    },
    "gs.m.everywhere": {
        "en": "{target} holds for every value of {label} in [{low}, {high}] searched; it is "
        "closest to failing at {value} ({figure} = {achieved}).",
        "zh": "在搜索范围 [{low}, {high}] 内，{label} 取任何值时目标“{target}”都成立；"
        "最接近不成立的取值是 {value}（该取值下{figure}为 {achieved}）。",
    },
    "gs.m.everywhere_beyond": {
        "en": "{target} holds for every value of {label} in [{low}, {high}] searched; it is "
        "closest to failing at {value} ({figure} = {achieved}), and the value where it stops "
        "holding may lie beyond the range.",
        "zh": "在搜索范围 [{low}, {high}] 内，{label} 取任何值时目标“{target}”都成立；"
        "最接近不成立的取值是 {value}（该取值下{figure}为 {achieved}），不再成立的取值可能在搜索范围之外。",
    },
    "gs.m.unreachable": {
        "en": "no value of {label} in [{low}, {high}] reaches {target}; the best is {figure} = "
        "{best} at {value}. Change another input.",
        "zh": "{label} 在 [{low}, {high}] 内的任何取值都达不到目标“{target}”；最好的结果出现在"
        "取值 {value} 处：{figure}为 {best}。请调整其他输入。",
    },
    "gs.m.unreachable_beyond": {
        "en": "no value of {label} in [{low}, {high}] reaches {target}; the best is {figure} = "
        "{best} at {value}, an end of the range searched: the target may lie beyond it. Widen "
        "the range searched (--low/--high; on the plan page, Search from/to), or change another "
        "input.",
        "zh": "{label} 在 [{low}, {high}] 内的任何取值都达不到目标“{target}”；最好的结果出现在"
        "取值 {value} 处（{figure}为 {best}），即搜索范围的端点：目标可能在范围之外。"
        "可扩大搜索范围（命令行用 --low/--high；方案页面用“搜索范围从/到”），或调整其他输入。",
    },
    "gs.w.correlated": {
        "en": "{input} was correlated with other inputs; those correlations do not apply while "
        "it is held fixed.",
        "zh": "{input} 与其他输入相关；固定它的取值时，这些相关性不再适用。",
    },
    "gs.w.not_monotone": {
        "en": "the figure is not monotone in {input}: the target holds on several intervals "
        "(crossings near {crossings}); reporting the lowest crossing.",
        "zh": "该指标随 {input} 的变化不单调：目标在多个区间内成立（临界点约为 {crossings}）；"
        "此处报告最低的临界点。",
    },
    "gs.stat.mean": {"en": "mean", "zh": "均值"},
    "gs.undefined": {"en": "undefined", "zh": "未发生"},
    "gs.never": {"en": "never (beyond the horizon)", "zh": "从未发生（超出期限）"},
    # ---------------------------------------------------------------- compare
    "cmp.side_by_side": {
        "en": "Side by side (p50 unless noted)",
        "zh": "方案并列对比（除注明外均为 P50）",
    },
    "cmp.p_breakeven": {"en": "P(break-even)", "zh": "期内盈亏平衡概率"},
    "cmp.p_cash_out": {"en": "P(cash runs out)", "zh": "资金耗尽概率"},
    "cmp.breakeven_month": {"en": "break-even month", "zh": "盈亏平衡月份"},
    "cmp.peak_need": {"en": "peak funding need", "zh": "峰值资金需求"},
    "cmp.peak_need_p90": {"en": "peak funding need p90", "zh": "峰值资金需求 P90"},
    "cmp.npv": {"en": "NPV", "zh": "净现值"},
    "cmp.beats_title": {
        "en": "A against B, sample by sample (common random numbers)",
        "zh": "方案两两对比，逐样本配对（共同随机数）",
    },
    "cmp.pair": {"en": "A vs B", "zh": "方案 A 对比方案 B"},
    "cmp.pair_row": {"en": "{a} vs {b}", "zh": "{a} 对比 {b}"},
    "cmp.npv_col": {"en": "NPV higher / equal / lower", "zh": "净现值 更高 / 相同 / 更低"},
    "cmp.be_col": {
        "en": "breaks even earlier / same month / later",
        "zh": "盈亏平衡 更早 / 同月 / 更晚",
    },
    "cmp.same_month": {
        "en": "same month includes samples where neither breaks even within the horizon",
        "zh": "“同月”包括两个方案在期内都未盈亏平衡的样本",
    },
    "cmp.assumptions_title": {
        "en": "Assumptions that differ from {plan}",
        "zh": "与 {plan} 不同的假设",
    },
    "cmp.assumption": {"en": "assumption", "zh": "假设"},
    "cmp.other_plan": {"en": "other plan", "zh": "其他方案"},
    "cmp.more": {
        "en": "… and {n} more (--json lists all)",
        "zh": "……另有 {n} 项（--json 列出全部）",
    },
    "cmp.currencies_differ": {"en": "Currencies differ: {list}", "zh": "货币不一致：{list}"},
    # ---------------------------------------------------------------- validate and plan lint
    "val.ok": {
        "en": "{file}: ok — {name}, {n} uncertain inputs, {months} months",
        "zh": "{file}：通过 — “{name}”，{n} 个不确定输入，{months} 个月",
    },
    "val.reference": {
        "en": "  {path}: reference = {low} to {high} a month, the latest growth of {n} AI "
        "products' {what} published before {start} (breakeven reference {family} --start "
        "{start})",
        "zh": "  {path}：reference = 每月 {low} 至 {high}，即 {start} 之前公布的 {n} 个 AI "
        "产品{what}的最近增长（breakeven reference {family} --start {start}）",
    },
    "val.as_of": {
        "en": "  {path}: counted in {counted}, month 0 is {zero}: grown over the months between "
        "({months}) at recent_growth_per_month, ×{low} to ×{high}",
        "zh": "  {path}：统计于 {counted}，第 0 月为 {zero}：按 recent_growth_per_month 增长其间 "
        "{months} 个月，×{low} 至 ×{high}",
    },
    "val.trend": {
        "en": "  {path}: trend {observed} = {low} to {high} a month (median {median}): after a "
        "period of growth, the next period's growth of {n} AI products' {what} published before "
        "{start} was {mean}× the last (in log terms; spread {sd}) (breakeven reference {family} "
        "--start {start} --trend {observed})",
        "zh": "  {path}：trend {observed} = 每月 {low} 至 {high}（中位数 {median}）：{start} 之前"
        "公布的 {n} 个 AI 产品{what}中，下一段的增长为上一段的 {mean} 倍（对数意义；离散 {sd}）"
        "（breakeven reference {family} --start {start} --trend {observed}）",
    },
    "ref.trend_summary": {
        "en": "trend {observed}: {low} to {high} a month (median {median}); after a period of "
        "growth, the next period's growth of {n} AI products' {what} published before {start} "
        "was {mean}× the last, in log terms (spread {sd})",
        "zh": "trend {observed}：每月 {low} 至 {high}（中位数 {median}）；{start} 之前公布的 {n} "
        "个 AI 产品{what}中，下一段的增长为上一段的 {mean} 倍（对数意义；离散 {sd}）",
    },
    "ref.trend_basis": {
        "en": "trend {observed}, widened by how the growth of {n} AI products' {what} published "
        "before {start} carried on ({products})",
        "zh": "trend {observed}，按 {start} 之前公布的 {n} 个 AI 产品{what}增长的延续情况放宽"
        "（{products}）",
    },
    "ref.col.before": {"en": "growth before", "zh": "前段月增长"},
    "ref.col.after": {"en": "growth after", "zh": "后段月增长"},
    "ref.col.ratio": {"en": "ratio", "zh": "比值"},
    "ref.col.product": {"en": "product", "zh": "产品"},
    "ref.col.metric": {"en": "metric", "zh": "指标"},
    "ref.col.from": {"en": "from", "zh": "起"},
    "ref.col.to": {"en": "to", "zh": "止"},
    "ref.col.growth": {"en": "growth a month", "zh": "月增长"},
    "ref.summary": {
        "en": "reference: {low} to {high} a month, the latest growth of {n} AI products' {what} "
        "published before {start} (median {median})",
        "zh": "参照组：每月 {low} 至 {high}，即 {start} 之前公布的 {n} 个 AI 产品{what}的最近增长"
        "（中位数 {median}）",
    },
    "ref.basis": {
        "en": "reference class: the latest growth of {n} AI products' {what} published before "
        "{start} ({products})",
        "zh": "参照组：{start} 之前公布的 {n} 个 AI 产品{what}的最近增长（{products}）",
    },
    "val.per_year": {"en": "; a year: {low} to {high}", "zh": "；每年 {low} 至 {high}"},
    "val.reference.tokens": {"en": "tokens", "zh": "token 用量"},
    "val.reference.consumer": {"en": "users", "zh": "用户数"},
    "val.reference.business": {"en": "paying organisations", "zh": "付费机构数"},
    "val.reference.pooled": {
        "en": "users, paying organisations and tokens (too few products' {own} alone)",
        "zh": "用户数、付费机构数与 token 用量（仅{own}的产品太少）",
    },
    "val.not_linted": {
        "en": "{file}: warning: not linted ({error})",
        "zh": "{file}: 警告：未做合理性检查（{error}）",
    },
    "lint.line": {
        "en": "{where}: {field}: warning: {text}",
        "zh": "{where}: {field}: 警告：{text}",
    },
    "lint.document": {"en": "(document)", "zh": "（文档）"},
    "lint.got": {"en": " (got {value})", "zh": "（实际：{value}）"},
    "lint.check": {"en": "; check {check}", "zh": "；请检查：{check}"},
    "lint.fmb.message": {
        "en": "EBITDA is ≥ 0 with revenue already in month 1 in {share} of samples; break-even "
        "from the first month is unusual for any new product",
        "zh": "在 {share} 的样本中，第 1 个月就已有收入且 EBITDA ≥ 0；新产品从第一个月起就盈亏平衡"
        "非常罕见",
    },
    "lint.fmb.value": {
        "en": "month-1 revenue {revenue}, most of it {top} {top_revenue}",
        "zh": "第 1 个月收入 {revenue}，其中最多来自 {top}：{top_revenue}",
    },
    "lint.fmb.check": {
        "en": "the starting state (stage_mix, starting users) and conversion: {fields}",
        "zh": "起始状态（stage_mix、初始用户）与转化率：{fields}",
    },
    "lint.rpe.fx": {"en": "{plan} ≈ {usd}", "zh": "{plan}（约 {usd}）"},
    "lint.rpe.value": {
        "en": "{plan_value} a year per person in month {month}: {monthly} a month, {people} people",
        "zh": "第 {month} 个月人均年收入 {plan_value}：每月收入 {monthly}，共 {people} 人",
    },
    "lint.rpe.high": {
        "en": "revenue per employee at the horizon end is more than {multiple}× the highest "
        "published figure ({ref}, {company} {year})",
        "zh": "期末人均年收入超过已公开最高值（{ref}，{company}，{year} 年）的 {multiple} 倍",
    },
    "lint.rpe.high_check": {
        "en": "company.team (headcount for this revenue) and the streams' prices and volumes",
        "zh": "company.team（与该收入相应的人数）以及各收入来源的价格与规模",
    },
    "lint.rpe.low": {
        "en": "revenue per employee at the horizon end is below 1/{n} of the lowest published "
        "figure ({ref}, {company} {year})",
        "zh": "期末人均年收入不到已公开最低值（{ref}，{company}，{year} 年）的 1/{n}",
    },
    "lint.rpe.low_check": {
        "en": "company.team (headcount) against the revenue the plan reaches",
        "zh": "company.team（人数）与方案达到的收入是否相称",
    },
    "lint.sgm.message": {
        "en": "gross margin over the last {months} months is above {threshold} although the plan "
        "serves tokens: usage or serving prices look too low",
        "zh": "最近 {months} 个月的毛利率高于 {threshold}，而方案提供 token 推理服务："
        "用量或推理价格看来过低",
    },
    "lint.sgm.check": {
        "en": "compute.serving (prices per token or GPU) and the usage per user (requests and "
        "tokens per request)",
        "zh": "compute.serving（每 token 或每 GPU 的价格）以及每用户用量（请求数与每次请求的 token 数）",
    },
    "lint.cac.message": {
        "en": "paid acquisition costs less than a cent per user ({floor}); often a way to add "
        "starting users",
        "zh": "付费获客成本每用户不到一美分（{floor}）；这常被用来变相加入初始用户",
    },
    "lint.cac.value": {"en": "{raw}, median {median}", "zh": "{raw}，中位数 {median}"},
    "lint.cac.check": {
        "en": "{field}; for users the plan starts with, use market.consumer.existing_users",
        "zh": "{field}；方案起始时已有的用户请用 market.consumer.existing_users 设置",
    },
    "lint.more": {"en": " ({n} more fields like it)", "zh": "（另有 {n} 个字段同样如此）"},
    "lint.median": {"en": "{raw}, median {median}", "zh": "{raw}，中位数 {median}"},
    "lint.world.message": {
        "en": "counts more people than live on Earth (8.2 billion, UN World Population "
        "Prospects 2024)",
        "zh": "人数超过了全世界人口（82 亿，联合国《世界人口展望 2024》）",
    },
    "lint.world.check": {
        "en": "{field}: it counts people (users), not requests, sessions or tokens",
        "zh": "{field}：此处计的是人（用户），不是请求、会话或 token",
    },
    "lint.seats.message": {
        "en": "an account has less than one seat",
        "zh": "每个客户的席位数不到 1 个",
    },
    "lint.seats.check": {
        "en": "{field}: the people at one customer who could use the product (a count, not a "
        "share)",
        "zh": "{field}：一个客户中可能使用产品的人数（是人数，不是比例）",
    },
    "lint.ctx.message": {
        "en": "one request holds more tokens than any model's context ({tokens}, {model})",
        "zh": "单次请求的 token 数超过了任何模型的上下文长度（{tokens}，{model}）",
    },
    "lint.ctx.check": {
        "en": "{field}: tokens of ONE request (per day or per month belongs in requests_per_day)",
        "zh": "{field}：这是单次请求的 token 数（每天或每月的用量请用 requests_per_day 表达）",
    },
    "lint.step.message": {
        "en": "this step starts after the plan's last month ({horizon}): it never applies",
        "zh": "这一步从方案最后一个月（{horizon}）之后才开始：永远不会生效",
    },
    "lint.cap.message": {
        "en": "the fair-use cap is below the average user's usage, so every user is cut",
        "zh": "合理使用上限低于平均用户的用量，因此每个用户都被限流",
    },
    "lint.cap.check": {
        "en": "{field}: a multiple of the mean usage (3 = three times the average user)",
        "zh": "{field}：这是平均用量的倍数（3 表示平均用户用量的三倍）",
    },
    "lint.event.message": {
        "en": "this happens after the plan's last month ({horizon}): the simulation never "
        "reaches it",
        "zh": "这件事发生在方案最后一个月（{horizon}）之后：模拟到不了那里",
    },
    "lint.step.value": {"en": "month {month}", "zh": "第 {month} 个月"},
    "lint.step.check": {
        "en": "{field}: months count from 1 at the plan's start, up to horizon_months",
        "zh": "{field}：月份从方案开始时的 1 数起，最大为 horizon_months",
    },
    "lint.growth.message": {
        "en": "segment {segment!r} is too small for its stated growth: its growth path needs a "
        "pipeline of exploring, piloting and budgeted accounts larger than the accounts not yet "
        "deployed, so the pipeline is scaled down and the growth fades from month 1",
        "zh": "细分市场“{segment}”容不下它声明的增长：按这一增长路径，探索、试点和已立项的客户"
        "合计应多于尚未部署的客户，因此管道被按比例缩小，增长从第 1 个月起就会减弱",
    },
    "lint.growth.value": {
        "en": "{raw} a month; the accounts not yet deployed are {room} of the pipeline it needs, "
        "in the median sample",
        "zh": "每月 {raw}；在中位数样本中，尚未部署的客户只有所需管道的 {room}",
    },
    "lint.start.message": {
        "en": "segment {segment!r} starts from more deployed accounts than it has",
        "zh": "细分市场“{segment}”起始的已部署客户多于它的客户总数：{field} 按采用曲线上 "
        "deployed_account_age_months 的账户折算后超过 accounts，起点被截到全部客户，运行从低于声明的数量开始",
    },
    "lint.start.value": {
        "en": "{raw}; {ratio}× the segment's accounts, in the median sample",
        "zh": "{raw}；在中位数样本中为该细分市场客户数的 {ratio} 倍",
    },
    "lint.start.check": {
        "en": "{field}.accounts and deployed_account_age_months",
        "zh": "{field}.accounts 与 deployed_account_age_months（部署越久的账户，每户席位越多）",
    },
    "lint.market_growth.message": {
        "en": "the market has too few people left for the stated growth: month 1 needs more new "
        "users than the market not yet reached (market_size minus the active and the lapsed "
        "users), so the rest comes from lapsed users coming back faster than "
        "reactivation_per_month says, and the growth fades as they run out",
        "zh": "市场剩余的人数撑不起声明的增长：第 1 个月所需的新用户多于尚未触达的市场（market_size "
        "减去活跃用户与流失用户），其余部分只能靠流失用户以高于 reactivation_per_month 的速度回流，"
        "回流的人用尽后增长随之减弱",
    },
    "lint.market_growth.value": {
        "en": "{raw} a month; the people left are {room} of the new users it needs, and the lapsed "
        "come back at {rate} a month instead of {planned}, in the median sample",
        "zh": "每月 {raw}；在中位数样本中，剩余人数只有所需新用户的 {room}，流失用户每月回流 {rate}"
        "（方案为 {planned}）",
    },
    "lint.market_growth.capped": {
        "en": "; in {capped} of samples too few are lapsed (or none) to make it up, and the users "
        "grow less than stated, or shrink",
        "zh": "；在 {capped} 的样本中流失用户太少（或没有），即使全部回流也不够，用户增长低于声明，甚至减少",
    },
    "lint.market_growth.check": {
        "en": "market.consumer.market_size (everyone who could use the product), the users the "
        "plan starts from, and churn_per_month and reactivation_per_month (the lapsed pool)",
        "zh": "market.consumer.market_size（所有可能使用该产品的人）、方案起始用户数，以及 "
        "churn_per_month 与 reactivation_per_month（流失用户池）",
    },
    "lint.growth.check": {
        "en": "{field} (every organisation that could buy, not only today's customers) and "
        "whether the growth is of accounts or of seats inside them",
        "zh": "{field}（所有可能购买的机构，而不只是现有客户），以及这一增长是客户数的增长"
        "还是客户内部席位的增长",
    },
    "lint.rate.message": {
        "en": "changes by more than +10,000%{per} (over 100×): published growth this fast lasted "
        "only months (Doubao's tokens, 120B to 1.3T a day in four months of 2024), and held it "
        "compounds past any market",
        "zh": "{per}变化超过 +10,000%（100 倍以上）：已公布的如此快的增长只持续过几个月（豆包的"
        " token 量在 2024 年四个月内从每天 1200 亿增至 1.3 万亿），长期保持会超出任何市场",
    },
    "lint.rate.per": {
        "en": " a {period}",
        "zh": "每{period}",
    },
    "lint.rate.value": {
        "en": "{raw}, 95th percentile +{p95}%",
        "zh": "{raw}，第 95 百分位 +{p95}%",
    },
    "lint.rate.check": {
        "en": "{field}: the period it counts per (a rate per month is not one per year), and that "
        "a percentage has its % (50 is +5,000%)",
        "zh": "{field}：它按什么周期计（每月的增长率不等于每年的），以及百分数是否带了 %"
        "（写 50 是 +5,000%）",
    },
    # ---------------------------------------------------------------- infer and train
    "ci.title": {
        "en": "{model} on {layout} {gpu} ({precision}, KV {kv}), {i} in / {o} out",
        "zh": "{model}，{layout} {gpu}（{precision}，KV {kv}），每请求输入 {i} / 输出 {o} 个 token",
    },
    "ct.title": {
        "en": "training {model} ({mode}) on {gpus}x {gpu}",
        "zh": "训练 {model}（{mode}），{gpus} 张 {gpu}",
    },
    "ct.mode.pretrain": {"en": "pretrain", "zh": "预训练"},
    "ct.mode.full": {"en": "full", "zh": "全参数微调"},
    "ct.mode.lora": {"en": "lora", "zh": "LoRA 微调"},
    "cq.col.quantity": {"en": "quantity", "zh": "项目"},
    "cq.col.unit": {"en": "unit", "zh": "单位"},
    "cq.col.value": {"en": "p50 (p10 – p90)", "zh": "P50（P10 – P90）"},
    "cq.group": {"en": "{group}.{name}", "zh": "{group}：{name}"},
    "cq.note": {"en": "note: {note}", "zh": "说明：{note}"},
    "ct.custom": {"en": "custom", "zh": "自定义模型"},
    "cn.context": {
        "en": "{n} tokens exceed {model}'s context of {context}",
        "zh": "{n} 个 token 超出 {model} 的上下文长度（{context}）",
    },
    "cn.fp8": {
        "en": "{gpu} has no {p} tensor cores: {p} weights computed at bf16 speed",
        "zh": "{gpu} 没有 {p} 张量核心：{p} 权重按 bf16 速度计算",
    },
    "cn.no_room": {
        "en": "one {n}-token request's KV cache does not fit beside the weights in {share} of "
        "samples (at the high end of the memory reserve); the figures are over the other samples",
        "zh": "{share} 的样本中（显存预留比例偏高时），权重之外放不下一个 {n} token 请求的 KV 缓存；"
        "各项数字只按其余样本计算",
    },
    "cn.batch_share": {
        "en": "batch {batch} exceeds the memory limit in {share} of samples (max batch p10-p90 "
        "{lo}-{hi}): their KV cache would not fit",
        "zh": "{share} 的样本中批大小 {batch} 超出显存上限（最大批大小 P10–P90 为 {lo}–{hi}）："
        "其 KV 缓存放不下",
    },
    "cn.latency_at_batch": {
        "en": "latency targets missed at batch {batch} in {share} of the samples where it fits",
        "zh": "在放得下的样本中，{share} 在批大小 {batch} 时达不到延迟目标",
    },
    "cn.per_head": {
        "en": "decode attention reads each GPU's KV cache {reads} times a step (attention "
        "kernel per_head: once per query head)",
        "zh": "解码注意力每步读取每个 GPU 的 KV 缓存 {reads} 次（per_head 内核：每个查询头读一次）",
    },
    "cn.split_nodes": {
        "en": "{gpus} {gpu} GPUs are {nodes} nodes of {per} ({node}): the replica's "
        "communication crosses the network",
        "zh": "{gpus} 块 {gpu} 即 {nodes} 个节点、每节点 {per} 块（{node}）：副本内的通信要经过网络",
    },
    "cn.latency_missed": {
        "en": "latency targets missed even at batch 1 in {share} of samples",
        "zh": "{share} 的样本即使批大小为 1 也达不到延迟目标",
    },
    "cn.no_target": {
        "en": "no latency target given: sized for an interactive {ttft} ms to the first token "
        "and {tpot} ms per output token (--ttft-ms, --tpot-ms)",
        "zh": "未给出延迟目标：按交互式场景确定规模，首 token 延迟 {ttft} 毫秒、每个输出 token "
        "{tpot} 毫秒（--ttft-ms、--tpot-ms）",
    },
    "cn.shape": {
        "en": "attention shape: {derived} derived from {active}params by {rule}",
        "zh": "注意力形状：{derived} 由{active}参数量按 {rule} 推得",
    },
    "cn.shape_active": {"en": "active ", "zh": "激活"},
    "cn.and": {"en": " and ", "zh": " 和 "},
    "cn.rule": {
        "en": "N = 12 * layers * d_model^2 (Kaplan et al. 2020) with d_model = 128 * layers "
        "(GPT-3 175B, Llama-2 7B/13B)",
        "zh": "N = 12 · layers · d_model²（Kaplan 等，2020），其中 d_model = 128 · layers"
        "（GPT-3 175B、Llama-2 7B/13B）",
    },
    "cn.no_attention": {
        "en": "attention FLOPs not counted (no seq_len): parameter FLOPs only",
        "zh": "未计入注意力 FLOPs（未给出 seq_len）：仅计参数 FLOPs",
    },
    # ---------------------------------------------------------------- updated plan header
    "upd.h.source": {
        "en": "# Updated by `breakeven update` on {file} ({period}, {n} observations of {series}):",
        "zh": "# 由 `breakeven update` 根据 {file}（{period}，{series} 共 {n} 个观测值）更新：",
    },
    "upd.h.narrowed": {
        "en": "# {k} ranges narrowed to their posterior 90% intervals{corr}.",
        "zh": "# {k} 个区间收窄为后验 90% 区间{corr}。",
    },
    "upd.h.corr": {
        "en": ", {k} posterior correlations added",
        "zh": "，新增 {k} 个后验相关性",
    },
    "upd.h.again": {
        "en": "# To update again, update the original plan on all actuals (not this one on the "
        "same months twice).",
        "zh": "# 以后再次更新时，请用原方案对全部实际数据更新（不要用本方案对相同月份重复更新）。",
    },
    # ---------------------------------------------------------------- sweep
    "sw.fig.p_breakeven": {"en": "P(break-even)", "zh": "盈亏平衡概率"},
    "sw.fig.breakeven_month": {"en": "break-even month p50", "zh": "盈亏平衡月份中位数"},
    "sw.fig.npv": {"en": "NPV p50", "zh": "净现值中位数"},
    "sw.fig.peak_funding_need": {"en": "peak funding need p90", "zh": "峰值资金需求 P90"},
    "sw.fig.p_cash_out": {"en": "P(cash runs out)", "zh": "资金耗尽概率"},
    "sw.short.p_breakeven": {"en": "P(break-even)", "zh": "盈亏平衡概率"},
    "sw.short.breakeven_month": {"en": "break-even month p50", "zh": "盈亏平衡月份"},
    "sw.short.npv": {"en": "NPV p50", "zh": "净现值"},
    "sw.short.peak_funding_need": {"en": "peak funding need p90", "zh": "峰值资金需求"},
    "sw.short.p_cash_out": {"en": "P(cash out)", "zh": "资金耗尽概率"},
    "sw.title": {"en": "Sweep of {name}", "zh": "{name} 的参数扫描"},
    "sw.colon": {"en": ": ", "zh": "："},
    "sw.summary": {
        "en": "{cells} cells ({shape}), {samples} samples each, seed {seed} in every cell "
        "(common random numbers); {where}, {s} s",
        "zh": "{cells} 个格（{shape}），每格 {samples} 个样本，各格随机种子均为 {seed}"
        "（共同随机数）；{where}，{s} 秒",
    },
    "sw.matrix": {
        "en": "{figure} — rows: {rows}, columns: {cols}",
        "zh": "{figure}——行：{rows}；列：{cols}",
    },
    "sw.every": {"en": "Every cell ({n})", "zh": "全部格（{n} 个）"},
    "sw.every_head": {"en": "Every cell", "zh": "全部格"},
    "sw.varied": {"en": "varied: ", "zh": "变动的输入："},
    "sw.best": {
        "en": "best cell by {fig}: {cell} → {figs}",
        "zh": "按{fig}最优的格：{cell} → {figs}",
    },
    "sw.best_marked": {
        "en": "The best cell by {fig} is marked in bold.",
        "zh": "按{fig}最优的格以粗体标出。",
    },
    "sw.warn.correlated": {
        "en": "{inputs}: correlated with other inputs; those correlations do not apply while "
        "held fixed.",
        "zh": "{inputs} 与其他输入相关；固定取值时这些相关性不适用。",
    },
    "sw.warn.versions": {
        "en": "the workers run {others}, this process {here}: the figures may differ from a run "
        "here",
        "zh": "工作进程运行的版本为 {others}，本进程为 {here}：结果可能与在本机运行不同",
    },
    "sw.method": {"en": "Method", "zh": "方法"},
    "sw.method_note": {
        "en": "Each cell simulates the plan with the varied inputs held at the cell's values and "
        "every other input as the plan draws it: {samples} samples, seed {seed} in every cell, "
        "so the cells share common random numbers and differ only by the values held. Computed "
        "on {where} in {s} s; the figures are the same on any scheduler.",
        "zh": "每格将变动的输入固定为该格的取值，其余输入照方案抽样：{samples} 个样本，各格随机种子"
        "均为 {seed}，因此各格共享共同随机数，差别只来自固定的取值。在 {where} 上计算，用时 {s} "
        "秒；任何调度方式下结果相同。",
    },
    "sw.kicker": {"en": "Sweep", "zh": "参数扫描"},
    "sw.page_title": {"en": "{name} — sweep", "zh": "{name}——参数扫描"},
    "sw.note.p_breakeven": {
        "en": "Share of samples whose EBITDA reaches >= 0 within the {h}-month horizon.",
        "zh": "在 {h} 个月期间内 EBITDA 达到 ≥ 0 的样本占比。",
    },
    "sw.note.breakeven_month": {
        "en": "Median month of break-even; > {h}: half the samples or more do not break even "
        "within the horizon.",
        "zh": "盈亏平衡月份的中位数；> {h} 表示至少一半样本在期间内未实现盈亏平衡。",
    },
    "sw.note.npv": {
        "en": "Median net present value of free cash flow over the horizon.",
        "zh": "期间内自由现金流净现值的中位数。",
    },
    "sw.note.peak_funding_need": {
        "en": "90th percentile of the largest cumulative cash deficit before funding: the cash "
        "to raise to be covered in 9 cases out of 10.",
        "zh": "融资前最大累计现金缺口的第 90 百分位：十种情形中有九种够用所需筹集的资金。",
    },
    "sw.note.p_cash_out": {
        "en": "Share of samples whose cash goes below 0 within the horizon.",
        "zh": "期间内现金降至 0 以下的样本占比。",
    },
    # ---------------------------------------------------------------- workbook
    "xl.summary": {"en": "Summary", "zh": "摘要"},
    "xl.assumptions": {"en": "Assumptions", "zh": "假设"},
    "xl.inputs": {"en": "Inputs", "zh": "输入"},
    "xl.base_case": {"en": "Base case", "zh": "基准情形"},
    "xl.charts": {"en": "Charts", "zh": "图表"},
    "xl.sensitivity": {"en": "Sensitivity", "zh": "敏感性"},
    "xl.name": {"en": "Name in formulas", "zh": "公式中的名称"},
    "xl.unit": {"en": "Unit", "zh": "单位"},
    "xl.start": {"en": "Month 1", "zh": "第 1 个月"},
    "xl.base_title": {
        "en": "Base case: every input at its median",
        "zh": "基准情形：每个输入取中位数",
    },
    "xl.base_note": {
        "en": "Black: formulas over the Inputs sheet's yellow cells (change one and they follow). "
        "Blue: values the simulation computed month by month (users, cohorts, markets filling).",
        "zh": "黑色：引用“输入”表黄色单元格的公式（修改输入即随之变化）。"
        "蓝色：模拟逐月算出的数值（用户、批次、市场饱和）。",
    },
    "xl.how": {"en": "how", "zh": "来源"},
    "xl.how_formula": {"en": "formula", "zh": "公式"},
    "xl.how_simulated": {"en": "simulated", "zh": "模拟"},
    "xl.chart_cash": {"en": "Cash at month end (base case)", "zh": "月末现金（基准情形）"},
    "xl.chart_revenue_costs": {
        "en": "Revenue and costs per month (base case)",
        "zh": "每月收入与成本（基准情形）",
    },
    "xl.sensitivity_title": {"en": "What moves NPV", "zh": "影响净现值的因素"},
    "xl.sensitivity_note": {
        "en": "Each input at its p10 and p90 with the others at their medians; then the mean NPV "
        "of the samples with the input in its bottom and top decile (correlations included).",
        "zh": "每个输入取 p10 与 p90、其余取中位数时的净现值；以及该输入处于最低与最高十分位的样本的平均净现值"
        "（含相关性）。",
    },
    "xl.npv_at_low": {"en": "NPV at p10", "zh": "p10 时净现值"},
    "xl.npv_at_high": {"en": "NPV at p90", "zh": "p90 时净现值"},
    "xl.swing": {"en": "Swing", "zh": "摆幅"},
    "xl.cond_low": {"en": "Mean NPV, bottom decile", "zh": "最低十分位平均净现值"},
    "xl.cond_high": {"en": "Mean NPV, top decile", "zh": "最高十分位平均净现值"},
    "xl.rank": {"en": "Rank", "zh": "排名"},
    "xl.sensitivity_chart": {
        "en": "NPV with each input at its p10 and p90",
        "zh": "各输入取 p10 与 p90 时的净现值",
    },
    "xl.statement": {"en": "Statement {stat}", "zh": "报表 {stat}"},
    "xl.mean_statement": {"en": "Statement mean", "zh": "报表 均值"},
    "xl.samples": {"en": "Samples", "zh": "样本"},
    "xl.scenario": {"en": "Scenario", "zh": "方案"},
    "xl.description": {"en": "Description", "zh": "说明"},
    "xl.samples_n": {"en": "Samples", "zh": "样本数"},
    "xl.seed": {"en": "Seed", "zh": "随机种子"},
    "xl.horizon": {"en": "Horizon (months)", "zh": "期间（月）"},
    "xl.currency": {"en": "Currency", "zh": "货币"},
    "xl.headline": {"en": "Answer", "zh": "结论"},
    "xl.sample_label": {
        "en": "Ledger of sample #{i}: the kept sample whose NPV is the {stat} of kept samples "
        "(NPV {npv}). One coherent outcome, so every column adds up.",
        "zh": "样本 #{i} 的账簿：保留样本中净现值处于 {stat} 的样本（净现值 {npv}）。"
        "这是一个完整自洽的情形，因此每一列都能对上。",
    },
    "xl.mean_label": {
        "en": "Mean over all {n} samples of every line (means add up, so every column adds up).",
        "zh": "全部 {n} 个样本各科目的均值（均值可相加，因此每一列都能对上）。",
    },
    "xl.cash_start": {"en": "Cash, start of month", "zh": "月初现金"},
    "xl.kpis": {"en": "Operating figures", "zh": "运营数据"},
    "xl.total": {"en": "Total", "zh": "合计"},
    "xl.samples_note": {
        "en": "One row per sample (first {n} of {total}): metrics then sampled inputs.",
        "zh": "每行一个样本（共 {total} 个中的前 {n} 个）：先是指标，后是抽样输入。",
    },
    # ---------------------------------------------------------------- the web app (`serve`)
    # An input's name on the plan page is its field's name (web.field.<field>), with its
    # qualifiers (web.qual.*); a group's title joins its sections' names (web.group.* for
    # the two groups that are not sections). English: as breakeven.server.plans.humanize.
    "web.field.abandon_pilot_per_month": {
        "en": "Abandon pilot per month",
        "zh": "每月放弃试点比例",
    },
    "web.field.abandon_probability": {"en": "Abandon probability", "zh": "放弃概率"},
    "web.field.account_cost_multiple": {"en": "Account cost multiple", "zh": "单账户成本倍数"},
    "web.field.accounts": {"en": "Accounts", "zh": "账户数"},
    "web.field.activity": {"en": "Activity", "zh": "活跃度"},
    "web.field.adjustment_months": {"en": "Adjustment months", "zh": "调整时间（月）"},
    "web.field.adoption_imitation_per_month": {
        "en": "Adoption imitation per month",
        "zh": "每月采用模仿系数",
    },
    "web.field.adoption_innovation_per_month": {
        "en": "Adoption innovation per month",
        "zh": "每月采用创新系数",
    },
    "web.field.ads": {"en": "Ads", "zh": "广告"},
    "web.field.ads_per_minute": {"en": "Ads per minute", "zh": "每分钟广告数"},
    "web.field.ai_service_cost_per_device_per_month": {
        "en": "Ai service cost per device per month",
        "zh": "每台设备每月 AI 服务成本",
    },
    "web.field.amount": {"en": "Amount", "zh": "金额"},
    "web.field.annual_discount": {"en": "Annual discount", "zh": "年付折扣"},
    "web.field.annual_share": {"en": "Annual share", "zh": "年付占比"},
    "web.field.api": {"en": "API", "zh": "API"},
    "web.field.app_store_fee": {"en": "App store fee", "zh": "应用商店抽成"},
    "web.field.app_store_share": {"en": "App store share", "zh": "经应用商店付费占比"},
    "web.field.brand_marketing_per_month": {
        "en": "Brand marketing per month",
        "zh": "每月品牌营销费用",
    },
    "web.field.breakage": {"en": "Breakage", "zh": "未使用额度占比"},
    "web.field.budget_per_month": {"en": "Budget per month", "zh": "每月预算"},
    "web.field.business": {"en": "Business", "zh": "企业客户"},
    "web.field.buyer": {"en": "Buyer", "zh": "采购方"},
    "web.field.buyer_share": {"en": "Buyer share", "zh": "购买用户占比"},
    "web.field.cache_hit_share": {"en": "Cache hit share", "zh": "缓存命中率"},
    "web.field.cached_input_price_per_million": {
        "en": "Cached input price per million",
        "zh": "每百万缓存输入 token 价格",
    },
    "web.field.cached_input_share": {"en": "Cached input share", "zh": "缓存输入占比"},
    "web.field.cap_multiple_of_mean": {"en": "Cap multiple of mean", "zh": "用量上限（均值倍数）"},
    "web.field.change": {"en": "Change", "zh": "变化幅度"},
    "web.field.churn_per_month": {"en": "Churn per month", "zh": "月流失率"},
    "web.field.close_probability": {"en": "Close probability", "zh": "成交概率"},
    "web.field.commission": {"en": "Commission", "zh": "交易佣金"},
    "web.field.company": {"en": "Company", "zh": "公司"},
    "web.field.competitor_price_cuts": {"en": "Competitor price cuts", "zh": "竞争对手降价"},
    "web.field.compute": {"en": "Compute", "zh": "算力"},
    "web.field.consumer": {"en": "Consumer", "zh": "个人用户"},
    "web.field.conversion": {"en": "Conversion", "zh": "付费转化率"},
    "web.field.correlations": {"en": "Correlations", "zh": "相关性"},
    "web.field.cost": {"en": "Cost", "zh": "成本"},
    "web.field.cost_per_person_per_year": {"en": "Cost per person per year", "zh": "人均年成本"},
    "web.field.cost_per_user": {"en": "Cost per user", "zh": "单用户获客成本"},
    "web.field.cpm": {"en": "CPM", "zh": "千次展示收入（CPM）"},
    "web.field.customisation_cost": {"en": "Customisation cost", "zh": "定制成本"},
    "web.field.dau_per_mau": {"en": "DAU per MAU", "zh": "日活/月活"},
    "web.field.deal_size_multiple": {"en": "Deal size multiple", "zh": "合同规模倍数"},
    "web.field.deals_per_rep_per_month": {
        "en": "Deals per rep per month",
        "zh": "每名销售每月成交数",
    },
    "web.field.departments": {"en": "Departments", "zh": "部门"},
    "web.field.deployed_account_age_months": {
        "en": "Deployed account age months",
        "zh": "已部署账户的部署时长（月）",
    },
    "web.field.deployed_accounts": {"en": "Deployed accounts", "zh": "已部署账户数"},
    "web.field.deployed_arr": {"en": "Deployed ARR", "zh": "已部署账户 ARR"},
    "web.field.deployed_paid_seats": {"en": "Deployed paid seats", "zh": "已部署付费席位数"},
    "web.field.depreciation_years": {"en": "Depreciation years", "zh": "折旧年限"},
    "web.field.device_cost": {"en": "Device cost", "zh": "设备成本"},
    "web.field.device_price": {"en": "Device price", "zh": "设备售价"},
    "web.field.devices_sold_per_month": {"en": "Devices sold per month", "zh": "每月设备销量"},
    "web.field.discount": {"en": "Discount", "zh": "折扣"},
    "web.field.discount_rate_per_year": {"en": "Discount rate per year", "zh": "年折现率"},
    "web.field.early_churn_per_month": {"en": "Early churn per month", "zh": "早期月流失率"},
    "web.field.employees": {"en": "Employees", "zh": "员工数"},
    "web.field.enterprise": {"en": "Enterprise", "zh": "企业合同"},
    "web.field.existing_mrr": {"en": "Existing MRR", "zh": "现有月经常性收入（MRR）"},
    "web.field.existing_subscribers": {"en": "Existing subscribers", "zh": "现有订阅用户数"},
    "web.field.existing_users": {"en": "Existing users", "zh": "现有用户数"},
    "web.field.fill_rate": {"en": "Fill rate", "zh": "广告填充率"},
    "web.field.follow_competitors": {"en": "Follow competitors", "zh": "跟随市场价格程度"},
    "web.field.funding": {"en": "Funding", "zh": "融资"},
    "web.field.fx": {"en": "Exchange rate", "zh": "汇率"},
    "web.field.g_and_a_per_month": {"en": "G&A per month", "zh": "每月管理及行政费用"},
    "web.field.get_budget_per_month": {"en": "Get budget per month", "zh": "每月获批预算比例"},
    "web.field.gmv_per_transacting_user_per_month": {
        "en": "GMV per transacting user per month",
        "zh": "每交易用户每月成交额（GMV）",
    },
    "web.field.gpu_hour_price": {"en": "GPU hour price", "zh": "GPU 每小时价格"},
    "web.field.gpu_seconds": {"en": "GPU seconds", "zh": "按 GPU 秒计费"},
    "web.field.gpu_seconds_per_request": {"en": "GPU seconds per request", "zh": "每请求 GPU 秒数"},
    "web.field.hardware": {"en": "Hardware", "zh": "硬件"},
    "web.field.headcount": {"en": "Headcount", "zh": "人数"},
    "web.field.hours_saved_per_active_user_per_month": {
        "en": "Hours saved per active user per month",
        "zh": "每活跃用户每月节省小时数",
    },
    "web.field.imitation_per_year": {"en": "Imitation per year", "zh": "年模仿系数"},
    "web.field.implementation_fee": {"en": "Implementation fee", "zh": "实施费"},
    "web.field.included_units_per_account_per_month": {
        "en": "Included units per account per month",
        "zh": "每账户每月包含用量",
    },
    "web.field.innovation_per_year": {"en": "Innovation per year", "zh": "年创新系数"},
    "web.field.input_price_per_million": {
        "en": "Input price per million",
        "zh": "每百万输入 token 价格",
    },
    "web.field.input_tokens_per_month": {"en": "Input tokens per month", "zh": "每月输入 token 数"},
    "web.field.input_tokens_per_request": {
        "en": "Input tokens per request",
        "zh": "每请求输入 token 数",
    },
    "web.field.input_tokens_per_unit": {
        "en": "Input tokens per unit",
        "zh": "每计量单位输入 token 数",
    },
    "web.field.installed_base": {"en": "Installed base", "zh": "存量设备数"},
    "web.field.integration_cost": {"en": "Integration cost", "zh": "集成成本"},
    "web.field.intro_offer": {"en": "Intro offer", "zh": "首期优惠"},
    "web.field.lapsed_users": {"en": "Lapsed users", "zh": "沉默用户数"},
    "web.field.licence_per_seat_per_month": {
        "en": "Licence per seat per month",
        "zh": "每席位每月许可费",
    },
    "web.field.loaded_cost_per_hour": {"en": "Loaded cost per hour", "zh": "每小时综合人力成本"},
    "web.field.maintenance_per_year": {"en": "Maintenance per year", "zh": "每年维护费"},
    "web.field.market": {"en": "Market", "zh": "市场"},
    "web.field.market_elasticity": {"en": "Market elasticity", "zh": "市场总量价格弹性"},
    "web.field.market_price_change_per_year": {
        "en": "Market price change per year",
        "zh": "市场价格年变化",
    },
    "web.field.market_size": {"en": "Market size", "zh": "市场规模"},
    "web.field.metered": {"en": "Metered billing", "zh": "按量计费"},
    "web.field.mfu": {"en": "MFU", "zh": "算力利用率（MFU）"},
    "web.field.milestones": {"en": "Milestones", "zh": "里程碑"},
    "web.field.min_seats_per_account": {"en": "Min seats per account", "zh": "每账户最少席位数"},
    "web.field.minutes_per_user_per_day": {
        "en": "Minutes per user per day",
        "zh": "每用户每天使用分钟数",
    },
    "web.field.off_peak_share": {"en": "Off peak share", "zh": "错峰流量占比"},
    "web.field.output_price_per_million": {
        "en": "Output price per million",
        "zh": "每百万输出 token 价格",
    },
    "web.field.output_tokens_per_month": {
        "en": "Output tokens per month",
        "zh": "每月输出 token 数",
    },
    "web.field.output_tokens_per_request": {
        "en": "Output tokens per request",
        "zh": "每请求输出 token 数",
    },
    "web.field.output_tokens_per_unit": {
        "en": "Output tokens per unit",
        "zh": "每计量单位输出 token 数",
    },
    "web.field.paid_acquisition": {"en": "Paid acquisition", "zh": "付费获客"},
    "web.field.params": {"en": "Params", "zh": "参数量"},
    "web.field.partner_share": {"en": "Partner share", "zh": "合作方分成"},
    "web.field.payment_fee": {"en": "Payment fee", "zh": "支付手续费率"},
    "web.field.payment_terms_days": {"en": "Payment terms days", "zh": "账期（天）"},
    "web.field.peak_to_average": {"en": "Peak to average", "zh": "峰均比"},
    "web.field.per_token": {"en": "Per token", "zh": "按 token 计费"},
    "web.field.platform_fee_per_month": {"en": "Platform fee per month", "zh": "每月平台费"},
    "web.field.presales_per_pilot_per_month": {
        "en": "Presales per pilot per month",
        "zh": "每个试点每月售前成本",
    },
    "web.field.price_change_per_year": {"en": "Price change per year", "zh": "价格年变化"},
    "web.field.price_elasticity": {"en": "Price elasticity", "zh": "价格弹性"},
    "web.field.price_from_catalog": {"en": "Price from catalog", "zh": "目录价格"},
    "web.field.price_per_million_tokens": {
        "en": "Price per million tokens",
        "zh": "每百万 token 价格",
    },
    "web.field.price_per_month": {"en": "Price per month", "zh": "月价格"},
    "web.field.price_per_request": {"en": "Price per request", "zh": "每次请求价格"},
    "web.field.price_per_seat_per_month": {"en": "Price per seat per month", "zh": "每席位月价格"},
    "web.field.price_per_unit": {"en": "Price per unit", "zh": "计量单价"},
    "web.field.private_deployment_cost": {"en": "Private deployment cost", "zh": "私有化部署成本"},
    "web.field.private_deployment_fee": {"en": "Private deployment fee", "zh": "私有化部署费"},
    "web.field.private_deployment_share": {
        "en": "Private deployment share",
        "zh": "私有化部署占比",
    },
    "web.field.private_hosting_per_month": {
        "en": "Private hosting per month",
        "zh": "每月私有化托管费",
    },
    "web.field.purchase_price_per_gpu": {"en": "Purchase price per GPU", "zh": "单卡采购价"},
    "web.field.ramp_months": {"en": "Ramp months", "zh": "上量期（月）"},
    "web.field.reactivation_per_month": {"en": "Reactivation per month", "zh": "月召回率"},
    "web.field.recent_growth_per_month": {"en": "Recent growth per month", "zh": "近期月增长率"},
    "web.field.renewal_per_year": {"en": "Renewal per year", "zh": "年续约率"},
    "web.field.rental_price_change_per_year": {
        "en": "Rental price change per year",
        "zh": "租赁价格年变化",
    },
    "web.field.reps": {"en": "Reps", "zh": "销售人数"},
    "web.field.requests_per_day": {"en": "Requests per day", "zh": "每天请求数"},
    "web.field.requests_per_unit": {"en": "Requests per unit", "zh": "每计量单位请求数"},
    "web.field.requires": {"en": "Requires", "zh": "前提条件"},
    "web.field.resistance": {"en": "Resistance", "zh": "拒绝采用者占比"},
    "web.field.retention": {"en": "Retention", "zh": "留存"},
    "web.field.rounds": {"en": "Rounds", "zh": "融资轮次"},
    "web.field.routes": {"en": "Routes", "zh": "路由"},
    "web.field.sales": {"en": "Sales", "zh": "销售"},
    "web.field.sales_cycle_months": {"en": "Sales cycle months", "zh": "销售周期（月）"},
    "web.field.saturation_exponent": {"en": "Saturation exponent", "zh": "饱和指数"},
    "web.field.seat_discount": {"en": "Seat discount", "zh": "席位折扣"},
    "web.field.seat_imitation_per_month": {
        "en": "Seat imitation per month",
        "zh": "席位每月模仿系数",
    },
    "web.field.seat_innovation_per_month": {
        "en": "Seat innovation per month",
        "zh": "席位每月创新系数",
    },
    "web.field.seat_price_multiple": {"en": "Seat price multiple", "zh": "席位价格倍数"},
    "web.field.seats_per_account": {"en": "Seats per account", "zh": "每账户席位数"},
    "web.field.security_compliance_cost": {"en": "Security compliance cost", "zh": "安全合规成本"},
    "web.field.security_cost": {"en": "Security cost", "zh": "安全成本"},
    "web.field.segments": {"en": "Segments", "zh": "细分市场"},
    "web.field.self_host": {"en": "Self host", "zh": "自建部署"},
    "web.field.service_life_months": {"en": "Service life months", "zh": "使用寿命（月）"},
    "web.field.serving": {"en": "Serving", "zh": "推理服务"},
    "web.field.share": {"en": "Share", "zh": "占比"},
    "web.field.share_elasticity": {"en": "Share elasticity", "zh": "相对价格弹性"},
    "web.field.speculative": {"en": "Speculative", "zh": "投机解码"},
    "web.field.spend_per_buyer_per_month": {
        "en": "Spend per buyer per month",
        "zh": "每购买用户每月消费",
    },
    "web.field.spread_sigma": {"en": "Spread sigma", "zh": "用量离散度（σ）"},
    "web.field.start_exploring_per_month": {
        "en": "Start exploring per month",
        "zh": "每月开始探索比例",
    },
    "web.field.start_pilot_per_month": {"en": "Start pilot per month", "zh": "每月开始试点比例"},
    "web.field.starting_cash": {"en": "Starting cash", "zh": "初始现金"},
    "web.field.streams": {"en": "Streams", "zh": "收入来源"},
    "web.field.subscription": {"en": "Subscription", "zh": "订阅"},
    "web.field.subscription_attach_rate": {"en": "Subscription attach rate", "zh": "订阅附加率"},
    "web.field.subscription_price_per_month": {
        "en": "Subscription price per month",
        "zh": "订阅月价格",
    },
    "web.field.subsidised": {"en": "Subsidised", "zh": "补贴价格"},
    "web.field.subsidised_seat_share": {"en": "Subsidised seat share", "zh": "补贴席位占比"},
    "web.field.take_rate": {"en": "Take rate", "zh": "佣金率"},
    "web.field.target_utilisation": {"en": "Target utilisation", "zh": "目标利用率"},
    "web.field.team": {"en": "Team", "zh": "团队"},
    "web.field.tiers": {"en": "Tiers", "zh": "套餐档位"},
    "web.field.to_paid": {"en": "To paid", "zh": "试用转付费比例"},
    "web.field.tokens": {"en": "Tokens", "zh": "token 数"},
    "web.field.top_ups": {"en": "Top ups", "zh": "充值"},
    "web.field.training_cost_per_adopter": {
        "en": "Training cost per adopter",
        "zh": "每名采用者培训成本",
    },
    "web.field.training_runs": {"en": "Training runs", "zh": "训练任务"},
    "web.field.transacting_share": {"en": "Transacting share", "zh": "交易用户占比"},
    "web.field.trial": {"en": "Trial", "zh": "试用"},
    "web.field.unit": {"en": "Unit", "zh": "计量单位"},
    "web.field.units_per_account_per_month": {
        "en": "Units per account per month",
        "zh": "每账户每月用量",
    },
    "web.field.unused_paid_seats": {"en": "Unused paid seats", "zh": "闲置付费席位占比"},
    "web.field.usage": {"en": "Usage", "zh": "用量"},
    "web.field.usage_multiple": {"en": "Usage multiple", "zh": "用量倍数"},
    "web.field.value_realisation": {"en": "Value realisation", "zh": "价值实现比例"},
    "web.field.vat": {"en": "VAT", "zh": "增值税"},
    "web.field.wau_per_mau": {"en": "WAU per MAU", "zh": "周活/月活"},
    "web.qual.start": {"en": "start", "zh": "起始值"},
    "web.qual.change per year": {"en": "change per year", "zh": "每年变化"},
    "web.group.Plan": {"en": "Plan", "zh": "方案"},
    "web.group.Variables": {"en": "Variables", "zh": "变量"},
}


def outputs() -> OutputTable:
    """The declared outputs of every block (labels, units, categories), assembled on first use:
    commands that only print strings do not build the scenario schema."""
    from ..scenario import BLOCKS

    return BLOCKS.outputs


def t(key: str, lang: str = "en", **kw) -> str:
    """The string ``key`` in ``lang``, formatted with ``kw``."""
    entry = STRINGS[key]
    s = entry.get(lang) or entry["en"]
    return s.format(**kw) if kw else s


def label(name: str, lang: str = "en") -> str:
    """The declared en/zh label of a ledger line, KPI, metric or probability."""
    return outputs().label(name, lang)


def category_label(category: str, lang: str = "en") -> str:
    """The label of a declared category (a cost group in the reports)."""
    from ..engine.outputs import CATEGORIES

    en, zh = CATEGORIES.get(category, (category.replace("_", " ").capitalize(),) * 2)
    return zh if lang == "zh" else en


# ---------------------------------------------------------------- `infer` and `train`
# The quantities they print are the keys of their JSON (shown as such in English); in Chinese
# each has a name, and each unit its Chinese form.
COMPUTE_LABELS_ZH: dict[str, str] = {
    "model": "模型",
    "gpu": "GPU 型号",
    "gpus": "GPU 数量",
    "layout": "并行方式",
    "nodes": "节点数",
    "gpus_per_node": "每节点 GPU 数",
    "disaggregated": "预填充与解码分离部署",
    "prefill_nodes": "预填充节点数",
    "precision": "精度",
    "kv_precision": "KV 缓存精度",
    "input_tokens": "输入 token 数",
    "output_tokens": "输出 token 数",
    "cache_hit_share": "前缀缓存命中率",
    "attention_kernel": "解码注意力内核",
    "tokens_per_step": "每步生成 token 数",
    "weights_gb": "权重大小",
    "weights_gb_per_gpu": "每 GPU 权重大小",
    "kv_bytes_per_token": "每 token 的 KV 缓存",
    "batch": "批大小",
    "max_batch": "显存允许的最大批大小",
    "output_tokens_per_s_per_gpu": "每 GPU 输出吞吐",
    "requests_per_s_per_gpu": "每 GPU 请求吞吐",
    "requests_per_s": "每副本请求吞吐",
    "ttft_ms": "首 token 延迟（TTFT）",
    "tpot_ms": "每输出 token 延迟（TPOT）",
    "prefill_share": "预填充时间占比",
    "prefill_input_tokens_per_s_per_node": "每节点预填充吞吐",
    "decode_output_tokens_per_s_per_node": "每节点解码吞吐",
    "prefill_gpu_s_per_request": "每请求预填充 GPU 时间",
    "decode_gpu_s_per_request": "每请求解码 GPU 时间",
    "gpu_hour_price": "GPU 每小时价格",
    "cost_per_request": "每请求成本",
    "cost_per_million_input_tokens": "每百万输入 token 成本",
    "cost_per_million_output_tokens": "每百万输出 token 成本",
    "cost_per_million_output_tokens_all_in": "每百万输出 token 综合成本（含预填充）",
    "cost_per_node_day": "每节点每天成本",
    "share_meeting_targets": "达到延迟目标的样本占比",
    "share_fitting": "显存放得下的样本占比",
    "notes": "说明",
    "fleet": "集群",
    "requests_per_s_average": "平均请求速率",
    "peak_to_average": "峰均比",
    "target_utilisation": "目标利用率",
    "decode_nodes": "解码节点数",
    "cost_usd_per_day": "每天成本",
    "gpus_needed_at_peak": "峰值所需 GPU 数",
    "gpu_cost_per_month": "每月 GPU 成本",
    "samples": "样本数",
    "seed": "随机种子",
    "mode": "训练方式",
    "params": "参数量",
    "active_params": "激活参数量",
    "tokens": "训练 token 数",
    "seq_len": "序列长度",
    "layers": "层数",
    "d_model": "模型宽度（d_model）",
    "mfu_factor": "MFU 取值依据",
    "flops": "计算量",
    "gpu_hours": "GPU 小时数",
    "days": "训练天数",
    "cost": "成本",
}

UNITS_ZH: dict[str, str] = {
    "GB": "GB",
    "bytes/token": "字节/token",
    "tokens/request": "token/请求",
    "sequences/replica": "序列/副本",
    "tokens/s/GPU": "token/秒/GPU",
    "requests/s/GPU": "请求/秒/GPU",
    "requests/s/replica": "请求/秒/副本",
    "requests/s": "请求/秒",
    "ms": "毫秒",
    "fraction of GPU time": "占 GPU 时间的比例",
    "input tokens/s/node (cache hits included)": "输入 token/秒/节点（含缓存命中）",
    "output tokens/s/node": "输出 token/秒/节点",
    "GPU-s/request": "GPU 秒/请求",
    "USD/GPU-hour": "美元/GPU 小时",
    "USD/request": "美元/请求",
    "USD/1M input tokens": "美元/百万输入 token",
    "USD/1M output tokens": "美元/百万输出 token",
    "USD/node/day": "美元/节点/天",
    "USD/day": "美元/天",
    "USD/month": "美元/月",
    "USD": "美元",
    "fraction of input tokens": "占输入 token 的比例",
    "tokens/sequence/step": "token/序列/步",
    "GPUs/replica": "GPU/副本",
    "nodes/replica": "节点/副本",
    "GPUs/node": "GPU/节点",
    "fraction of samples": "占样本的比例",
    "peak requests/s over average": "峰值请求率与平均之比",
    "fraction of peak capacity": "占峰值容量的比例",
    "nodes": "节点",
    "GPUs": "GPU",
    "parameters": "参数",
    "tokens": "token",
    "FLOP": "FLOP",
    "GPU-hours": "GPU 小时",
    "days (wall clock on gpus)": "天（在所用 GPU 上的实际耗时）",
}


def compute_label(key: str, lang: str = "en") -> str:
    """How ``infer`` / ``train`` name one of their quantities: the JSON key in English."""
    return COMPUTE_LABELS_ZH.get(key, key) if lang == "zh" else key


def unit_label(unit: str, lang: str = "en") -> str:
    """A unit of ``infer`` / ``train`` in ``lang`` (unknown units as given)."""
    return UNITS_ZH.get(unit, unit) if lang == "zh" else unit
