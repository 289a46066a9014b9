"""breakeven: will revenue cover costs?"""
