"""What the emulated assistant says and does in each scenario (original text)."""

from __future__ import annotations

GREETING = (
    "Hello! I'm an emulated assistant, so nothing here came from a real model, "
    "but every event has the shape the real API streams. How can I help you today?"
)

AFTER_TOOL_OUTPUT = "Thanks for waiting. The tool reported: {outputs}. Let me know if you need anything else!"

TRUNCATED_REPLY = (
    "Sure, I can help with that. Let me start by walking through the first part of "
    "the answer, step by step, before"
)

INTERRUPTED_REPLY = "Let me think about this carefully. First, we should look at"

FAILURE_MESSAGE = "Sorry, something went wrong."

STREAM_ERROR_MESSAGE = (
    "The server had an error processing your request. Sorry about that! You can retry your "
    "request, or contact us through our help center at help.openai.com if you keep seeing "
    "this error. (Please include the request ID {request_id} in your email.)"
)

CODE_LOGS_INPUT = (
    "import statistics\r\n\r\n"
    "# Sample measurements\r\n"
    "values = [3, 11, 14, 15, 92]\r\n\r\n"
    "# Compute the mean\r\n"
    "mean = statistics.mean(values)\r\n"
    "mean"
)
CODE_LOGS_OUTPUT = "27"

CODE_IMAGE_INPUT = (
    "import matplotlib.pyplot as plt\n\n"
    "values = [3, 11, 14, 15, 92]\n"
    "plt.figure(figsize=(6, 4))\n"
    "plt.bar(range(len(values)), values)\n"
    "plt.title('Sample measurements')\n"
    "plt.show()"
)
CODE_SUMMARY = "The mean of the sample is 27. The chart above shows each measurement as a bar."

FILE_SEARCH_FILE_NAME = "emulator_handbook.txt"
FILE_SEARCH_CHUNK = (
    "Emulator handbook, section 2:\n"
    "- Streams end with a done event.\n"
    "- Tool outputs are submitted once per run step.\n"
    "- The default reply delay is a few milliseconds."
)
FILE_SEARCH_ANSWER_BEFORE = "The handbook says every stream ends with a done event"
FILE_SEARCH_ANSWER_AFTER = "."

ANNOTATED_BEFORE = "I saved the cleaned table as a CSV file: "
ANNOTATED_PATH = "sandbox:/mnt/data/cleaned_table.csv"
ANNOTATED_MIDDLE = ". The column names follow the data dictionary"
ANNOTATED_AFTER = ", and the units are explained in the notes"
ANNOTATED_END = "."

REASONING_SUMMARY = (
    "**Weighing the options**\n\nThe user wants a quick recommendation, so I compare "
    "the two choices by cost and time before answering."
)
REASONING_ANSWER = "Take the train: it costs less and arrives about as fast."

REFUSAL = "I'm sorry, but I can't help with that request."

WEB_SEARCH_QUERY = "emulator streaming harness release notes"
WEB_SEARCH_URL = "https://example.com/harness/releases?utm_source=openai"
WEB_SEARCH_TITLE = "Harness release notes"
WEB_SEARCH_ANSWER_BEFORE = "The latest release notes say replays keep every chunk boundary "
WEB_SEARCH_LINK = "([example.com](https://example.com/harness/releases?utm_source=openai))"
WEB_SEARCH_ANSWER_AFTER = "."

# Cut on purpose inside grapheme clusters: a ZWJ family emoji, a flag (two
# regional indicators), a skin-tone modifier, combining accents, Devanagari
# vowel signs and a keycap sequence each straddle two deltas.
UNICODE_PIECES = (
    "Multi",
    "-byte",
    " text",
    ":",
    " caf",
    "e",
    "\u0301",
    " na",
    "i\u0308",
    "ve",
    " ",
    "\u65e5\u672c",
    "\u8a9e",
    "\u306e",
    "\u30c6\u30ad\u30b9\u30c8",
    " ",
    "\U0001f469\u200d",
    "\U0001f469\u200d\U0001f467",
    "\u200d\U0001f466",
    " ",
    "\U0001f1ef",
    "\U0001f1f5",
    " ",
    "\U0001f44b",
    "\U0001f3fd",
    " ",
    "\u0928\u092e",
    "\u0938\u094d",
    "\u0924\u0947",
    " ",
    "\u0645\u0631\u062d",
    "\u0628\u0627",
    " ",
    "1",
    "\ufe0f",
    "\u20e3",
    " ",
    "\U0001f9d1\u200d",
    "\U0001f4bb",
    " done",
    ".",
)
