"""Alerts from contact persons to the boat owners of their harbours, pushed to phones."""
