"""Words of the reports in English and Simplified Chinese.

``lang`` is ``"en"`` or ``"zh"``; ``None`` means the locale's language (``LC_ALL``,
``LC_MESSAGES`` or ``LANG`` starting with ``zh`` → Chinese, anything else → English).
Labels of ledger lines, KPIs and metrics are not here: they are declared with the outputs
(:mod:`breakeven.engine.outputs`) and read through :func:`label`.
"""

from __future__ import annotations

import os

from ..engine.outputs import CATEGORIES
from ..scenario import BLOCKS

OUTPUTS = BLOCKS.outputs  # the declared outputs of every block: labels, units, categories

LANGS = ("en", "zh")


def default_lang() -> str:
    """The locale's language: the first of LC_ALL, LC_MESSAGES, LANG that is set."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        v = os.environ.get(var)
        if v:
            return "zh" if v.lower().startswith("zh") else "en"
    return "en"


def resolve(lang: str | None) -> str:
    """Normalise a language tag: None → locale; 'zh_CN.UTF-8', 'zh-Hans' → 'zh'; else 'en'."""
    if lang is None or lang == "":
        return default_lang()
    lang = str(lang).lower()
    if lang.startswith("zh"):
        return "zh"
    if lang.startswith("en"):
        return "en"
    raise ValueError(f"lang: must be one of {', '.join(LANGS)} (got {lang!r})")


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
    "headline.median": {"en": "; median month {m}", "zh": "；盈亏平衡月份中位数为第 {m} 个月"},
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
        "run out of money. Dotted lines mark funding rounds.",
        "zh": "每月末现金余额（含融资）。低于零线即资金耗尽。虚线标出融资轮次。",
    },
    "note.users": {
        "en": "Users at the end of each month: median and bands.",
        "zh": "每月末用户数：中位数与区间。",
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
        "en": "Revenue and costs per user per month over {period}, from the ledger (mean over "
        "all samples). Per paying user, free users' serving cost is carried by the payers.",
        "zh": "{period}每用户每月的收入与成本，来自账簿（全部样本均值）。"
        "按付费用户计算时，免费用户的服务成本由付费用户分摊。",
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
    # ---------------------------------------------------------------- workbook
    "xl.summary": {"en": "Summary", "zh": "摘要"},
    "xl.assumptions": {"en": "Assumptions", "zh": "假设"},
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
}


def t(key: str, lang: str = "en", **kw) -> str:
    """The string ``key`` in ``lang``, formatted with ``kw``."""
    entry = STRINGS[key]
    s = entry.get(lang) or entry["en"]
    return s.format(**kw) if kw else s


def label(name: str, lang: str = "en") -> str:
    """The declared en/zh label of a ledger line, KPI, metric or probability."""
    return OUTPUTS.label(name, lang)


def category_label(category: str, lang: str = "en") -> str:
    """The label of a declared category (a cost group in the reports)."""
    en, zh = CATEGORIES.get(category, (category.replace("_", " ").capitalize(),) * 2)
    return zh if lang == "zh" else en
