"""Build the Parallax site: `python build.py --help` tells how."""

from parallax.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
