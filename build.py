"""Build the Parallax site: `python build.py --help` tells how."""

from parallax.cli import run

if __name__ == "__main__":
    run()
