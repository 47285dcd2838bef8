"""English as the portal writes it for people in Denmark: day before month and a
24-hour clock, as in the Danish pages ("4 December 2026 21:43"), not Django's American
"Dec. 4, 2026, 9:43 p.m." beside them."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
