"""``python -m breakeven``: the same command line as the ``breakeven`` script."""

from .console import main

if __name__ == "__main__":
    main()
