"""Group robots (企业微信 / 钉钉 / 飞书): the week's written summary sent to the company's chat groups."""

from analytics.push.command import PushError, prepare, run, send, shown
from analytics.push.robots import Robot, dashboard_url, robot, robots

__all__ = ["PushError", "Robot", "dashboard_url", "prepare", "robot", "robots", "run", "send", "shown"]
