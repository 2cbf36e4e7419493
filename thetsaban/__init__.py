"""Thetsaban: a platform for leagues of municipalities."""
