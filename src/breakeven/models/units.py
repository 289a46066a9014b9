"""Calendar units shared by the formulas."""

MONTH_DAYS = 365.25 / 12  # days in an average month (Julian year / 12)
HOURS_PER_MONTH = 730.0  # 8,760 hours a year / 12
