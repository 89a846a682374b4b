"""mne-clusters: MNEs in Russian cluster initiatives, reproducibly."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mne-clusters")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+unknown"
