/*
 * One top-level field of a JSON text, read without building anything: the text is checked as RFC 8259 has it
 * (quoted keys, escapes, no trailing commas, nothing after the value), as deep as it goes, so that a text the
 * bridge's own reader (dev.bridge.cli.StrictJson) would refuse is never taken for an answer.
 */
#include "json_field.h"

#include <string.h>

/* Deeper nesting is left to the bridge. */
#define MAX_DEPTH 64

/* Each parse function returns 0 when the text is JSON so far. */
struct json {
  const char *at;
  const char *end;
};

static void skip_space(struct json *j) {
  while (j->at < j->end && (*j->at == ' ' || *j->at == '\t' || *j->at == '\n' || *j->at == '\r')) {
    j->at++;
  }
}

static int hex_digit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/*
 * A string, with j->at on its opening quote. Its text, escapes decoded, goes to KEY (when not NULL, room for SIZE
 * bytes and a NUL); a character beyond ASCII, or a text too long, is written as 0x7f so that it matches no name.
 */
static int parse_string(struct json *j, char *key, size_t size) {
  size_t n = 0;
  j->at++;
  for (;;) {
    if (j->at >= j->end) {
      return -1;
    }
    unsigned char c = (unsigned char) *j->at++;
    int decoded = c;
    if (c == '"') {
      break;
    }
    if (c < 0x20) {
      return -1;
    }
    if (c == '\\') {
      if (j->at >= j->end) {
        return -1;
      }
      char e = *j->at++;
      switch (e) {
        case '"': case '\\': case '/': decoded = e; break;
        case 'b': decoded = '\b'; break;
        case 'f': decoded = '\f'; break;
        case 'n': decoded = '\n'; break;
        case 'r': decoded = '\r'; break;
        case 't': decoded = '\t'; break;
        case 'u':
          if (j->end - j->at < 4) {
            return -1;
          }
          decoded = 0;
          for (int i = 0; i < 4; i++) {
            char h = j->at[i];
            if (!hex_digit(h)) {
              return -1;
            }
            decoded = decoded * 16 + (h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
          }
          j->at += 4;
          break;
        default:
          return -1;
      }
    }
    if (key) {
      if (n < size) {
        key[n] = decoded > 0 && decoded < 0x7f ? (char) decoded : 0x7f;
      }
      n++;
    }
  }
  if (key) {
    if (n > size) {
      key[0] = 0x7f;
      n = 1;
    }
    key[n] = '\0';
  }
  return 0;
}

static int parse_literal(struct json *j, const char *word) {
  size_t length = strlen(word);
  if ((size_t) (j->end - j->at) < length || strncmp(j->at, word, length) != 0) {
    return -1;
  }
  j->at += length;
  return 0;
}

static int digits(struct json *j) {
  const char *start = j->at;
  while (j->at < j->end && *j->at >= '0' && *j->at <= '9') {
    j->at++;
  }
  return j->at > start ? 0 : -1;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int parse_number(struct json *j) {
  if (*j->at == '-') {
    j->at++;
  }
  if (j->at < j->end && *j->at == '0') {
    j->at++;
  } else if (digits(j) != 0) {
    return -1;
  }
  if (j->at < j->end && *j->at == '.') {
    j->at++;
    if (digits(j) != 0) {
      return -1;
    }
  }
  if (j->at < j->end && (*j->at == 'e' || *j->at == 'E')) {
    j->at++;
    if (j->at < j->end && (*j->at == '+' || *j->at == '-')) {
      j->at++;
    }
    if (digits(j) != 0) {
      return -1;
    }
  }
  return 0;
}

static int parse_value(struct json *j, int depth);

/* An object or array, with j->at on its bracket; members' names are not looked at below the top level. */
static int parse_container(struct json *j, int depth) {
  char close = *j->at == '{' ? '}' : ']';
  j->at++;
  skip_space(j);
  if (j->at < j->end && *j->at == close) {
    j->at++;
    return 0;
  }
  for (;;) {
    skip_space(j);
    if (close == '}') {
      if (j->at >= j->end || *j->at != '"' || parse_string(j, NULL, 0) != 0) {
        return -1;
      }
      skip_space(j);
      if (j->at >= j->end || *j->at++ != ':') {
        return -1;
      }
    }
    if (parse_value(j, depth + 1) != 0) {
      return -1;
    }
    skip_space(j);
    if (j->at >= j->end) {
      return -1;
    }
    char c = *j->at++;
    if (c == close) {
      return 0;
    }
    if (c != ',') {
      return -1;
    }
  }
}

static int parse_value(struct json *j, int depth) {
  skip_space(j);
  if (j->at >= j->end || depth > MAX_DEPTH) {
    return -1;
  }
  switch (*j->at) {
    case '{': case '[': return parse_container(j, depth);
    case '"': return parse_string(j, NULL, 0);
    case 't': return parse_literal(j, "true");
    case 'f': return parse_literal(j, "false");
    case 'n': return parse_literal(j, "null");
    default: return *j->at == '-' || (*j->at >= '0' && *j->at <= '9') ? parse_number(j) : -1;
  }
}

enum json_field json_top_level_field(const char *text, size_t size, const char *name) {
  struct json j = {text, text + size};
  enum json_field found = JSON_FIELD_ABSENT;
  skip_space(&j);
  if (j.at >= j.end || *j.at != '{') {
    return JSON_FIELD_NOT_AN_OBJECT;
  }
  j.at++;
  skip_space(&j);
  if (j.at < j.end && *j.at == '}') {
    j.at++;
  } else {
    for (;;) {
      char key[JSON_FIELD_NAME_MAX + 1];
      skip_space(&j);
      if (j.at >= j.end || *j.at != '"' || parse_string(&j, key, sizeof key - 1) != 0) {
        return JSON_FIELD_INVALID;
      }
      skip_space(&j);
      if (j.at >= j.end || *j.at++ != ':') {
        return JSON_FIELD_INVALID;
      }
      if (strcmp(key, name) == 0) {
        if (found != JSON_FIELD_ABSENT) {
          return JSON_FIELD_DUPLICATE;
        }
        skip_space(&j);
        if (parse_literal(&j, "true") == 0) {
          found = JSON_FIELD_TRUE;
        } else if (parse_literal(&j, "false") == 0) {
          found = JSON_FIELD_FALSE;
        } else if (parse_literal(&j, "null") == 0) {
          found = JSON_FIELD_NULL;
        } else if (parse_value(&j, 1) == 0) {
          found = JSON_FIELD_OTHER;
        } else {
          return JSON_FIELD_INVALID;
        }
      } else if (parse_value(&j, 1) != 0) {
        return JSON_FIELD_INVALID;
      }
      skip_space(&j);
      if (j.at >= j.end) {
        return JSON_FIELD_INVALID;
      }
      char c = *j.at++;
      if (c == '}') {
        break;
      }
      if (c != ',') {
        return JSON_FIELD_INVALID;
      }
    }
  }
  skip_space(&j);
  return j.at == j.end ? found : JSON_FIELD_INVALID;
}
