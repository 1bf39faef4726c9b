"""Hải Đăng — the city's information-security coordination platform."""

__version__ = "0.1.0"
