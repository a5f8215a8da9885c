"""Meta's limits on Cloud API messages, written once (developers.facebook.com, Cloud API)."""

TEXT_MAX = 4096  # a text message's body
BODY_MAX = 1024  # an interactive message's body
BUTTONS_MAX, BUTTON_TITLE_MAX, BUTTON_ID_MAX = 3, 20, 256
ROWS_MAX, SECTIONS_MAX, ROW_TITLE_MAX, ROW_DESCRIPTION_MAX = 10, 10, 24, 72
LIST_BUTTON_MAX, SECTION_TITLE_MAX, ROW_ID_MAX = 20, 24, 200
CTA_TEXT_MAX = 20
