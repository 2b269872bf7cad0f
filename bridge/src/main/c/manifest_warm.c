/*
 * The manifest's "warm" field, read before any JVM starts (bin/bridgejs runs `bridgejs-warm --wants-warm ARGS`
 * when BRIDGE_WARM is unset): a JVM would take a second to tell what this tells in a millisecond. Only what decides
 * the answer is checked here; whatever is in doubt is served cold, and the bridge (PluginManifest, StrictJson,
 * ServeOptions) reports what is wrong. The options are those of dev.bridge.cli.ServeOptions and LoadOptions:
 * change both sides together (WarmManifestCheckTest tries every option the JVM knows).
 */
#define _GNU_SOURCE
#include "manifest_warm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Larger manifests are left to the JVM. */
#define MAX_MANIFEST (1 << 20)
/* Deeper nesting too. */
#define MAX_DEPTH 64

static const char *const VALUE_OPTIONS[] = {
    "--manifest", "--proto", "--proto-path", "--descriptor-set", "--service", "--files-dir", "--call-timeout",
    "--max-message-size", "--load-timeout", "--max-heap", "--allow-net", "--allow-env", "--allow-read",
    "--allow-write", "--magic-cookie-key", "--magic-cookie-value", "--app-protocol-version", "--instances", NULL};
static const char *const FLAG_OPTIONS[] = {"--tcp", "--dev", NULL};
/* Not serving: help and version. */
static const char *const INFO_OPTIONS[] = {"-h", "--help", "-V", "--version", NULL};

static int named(const char *const *names, const char *option, size_t length) {
  for (; *names; names++) {
    if (strlen(*names) == length && strncmp(*names, option, length) == 0) {
      return 1;
    }
  }
  return 0;
}

/*
 * SCRIPT and --manifest's value, from options before SCRIPT as picocli reads them (--name VALUE, --name=VALUE,
 * -I DIR, -IDIR, -- before SCRIPT). 0 when found; otherwise what to answer.
 */
static int parse_args(int argc, char **argv, const char **script, const char **manifest) {
  *script = NULL;
  *manifest = NULL;
  for (int i = 0; i < argc; i++) {
    const char *arg = argv[i];
    if (strcmp(arg, "--") == 0) {
      if (i + 1 >= argc) {
        return MANIFEST_IN_DOUBT;
      }
      *script = argv[i + 1];
      return 0;
    }
    if (arg[0] != '-') {
      *script = arg;
      return arg[0] ? 0 : MANIFEST_IN_DOUBT;
    }
    const char *eq = strchr(arg, '=');
    size_t length = eq ? (size_t) (eq - arg) : strlen(arg);
    if (named(INFO_OPTIONS, arg, length)) {
      return MANIFEST_COLD;
    }
    if (named(FLAG_OPTIONS, arg, length) && !eq) {
      continue;
    }
    const char *value;
    if (named(VALUE_OPTIONS, arg, length)) {
      if (eq) {
        value = eq + 1;
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        return MANIFEST_IN_DOUBT;
      }
    } else if (strncmp(arg, "-I", 2) == 0) { /* --proto-path's short name, its value attached or next */
      if (arg[2] == '\0' && ++i >= argc) {
        return MANIFEST_IN_DOUBT;
      }
      continue;
    } else {
      return MANIFEST_IN_DOUBT;
    }
    if (length == strlen("--manifest") && strncmp(arg, "--manifest", length) == 0) {
      if (*manifest) {
        return MANIFEST_IN_DOUBT; /* picocli refuses it twice */
      }
      *manifest = value;
    }
  }
  return MANIFEST_COLD; /* no SCRIPT: picocli says so */
}

/*
 * PluginManifest.besideScript: dir/kv.js -> dir/kv.plugin.json, the name's last extension replaced (none when its
 * only dot is the first character). Path.of drops trailing slashes.
 */
static char *beside_script(const char *script) {
  size_t length = strlen(script);
  while (length > 1 && script[length - 1] == '/') {
    length--;
  }
  const char *name = script;
  for (size_t i = 0; i < length; i++) {
    if (script[i] == '/') {
      name = script + i + 1;
    }
  }
  size_t name_length = length - (size_t) (name - script);
  if (name_length == 0) {
    return NULL; /* "/" */
  }
  size_t base = name_length;
  for (size_t i = name_length; i-- > 1;) {
    if (name[i] == '.') {
      base = i;
      break;
    }
  }
  size_t prefix = (size_t) (name - script) + base;
  static const char suffix[] = ".plugin.json";
  char *path = malloc(prefix + sizeof suffix);
  if (!path) {
    return NULL;
  }
  memcpy(path, script, prefix);
  memcpy(path + prefix, suffix, sizeof suffix);
  return path;
}

/* JSON (RFC 8259), only as deep as the answer needs. Each parse function returns 0 when the text is JSON so far. */
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

/* The answer for a manifest's text: its top-level object's "warm", once, true or false (null: absent). */
static enum manifest_warm warm_of(const char *text, size_t size) {
  struct json j = {text, text + size};
  enum manifest_warm answer = MANIFEST_COLD;
  int seen = 0;
  skip_space(&j);
  if (j.at >= j.end || *j.at != '{') {
    return MANIFEST_IN_DOUBT;
  }
  j.at++;
  skip_space(&j);
  if (j.at < j.end && *j.at == '}') {
    j.at++;
  } else {
    for (;;) {
      char key[8];
      skip_space(&j);
      if (j.at >= j.end || *j.at != '"' || parse_string(&j, key, sizeof key - 1) != 0) {
        return MANIFEST_IN_DOUBT;
      }
      skip_space(&j);
      if (j.at >= j.end || *j.at++ != ':') {
        return MANIFEST_IN_DOUBT;
      }
      if (strcmp(key, "warm") == 0) {
        if (seen++) {
          return MANIFEST_IN_DOUBT; /* a duplicate key, which the bridge refuses */
        }
        skip_space(&j);
        if (parse_literal(&j, "true") == 0) {
          answer = MANIFEST_WARM;
        } else if (parse_literal(&j, "false") != 0 && parse_literal(&j, "null") != 0) {
          return MANIFEST_IN_DOUBT; /* another type, which the bridge refuses naming the field */
        }
      } else if (parse_value(&j, 1) != 0) {
        return MANIFEST_IN_DOUBT;
      }
      skip_space(&j);
      if (j.at >= j.end) {
        return MANIFEST_IN_DOUBT;
      }
      char c = *j.at++;
      if (c == '}') {
        break;
      }
      if (c != ',') {
        return MANIFEST_IN_DOUBT;
      }
    }
  }
  skip_space(&j);
  return j.at == j.end ? answer : MANIFEST_IN_DOUBT;
}

/* The manifest's text; NULL with *missing set when there is no such file. */
static char *read_manifest(const char *path, size_t *size, int *missing) {
  *missing = 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *missing = errno == ENOENT || errno == ENOTDIR;
    return NULL;
  }
  struct stat st;
  char *text = NULL;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size <= MAX_MANIFEST) {
    text = malloc((size_t) st.st_size + 1);
    size_t got = 0;
    while (text && got < (size_t) st.st_size) {
      ssize_t n = read(fd, text + got, (size_t) st.st_size - got);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n <= 0) {
        free(text);
        text = NULL;
        break;
      }
      got += (size_t) n;
    }
    *size = got;
  }
  close(fd);
  return text;
}

enum manifest_warm manifest_wants_warm(int argc, char **argv) {
  const char *script, *named_manifest;
  int early = parse_args(argc, argv, &script, &named_manifest);
  if (early != 0) {
    return (enum manifest_warm) early;
  }
  char *beside = NULL;
  const char *path = named_manifest;
  if (!path) {
    beside = beside_script(script);
    if (!beside) {
      return MANIFEST_IN_DOUBT;
    }
    path = beside;
  }
  size_t size = 0;
  int missing;
  char *text = read_manifest(path, &size, &missing);
  free(beside);
  if (!text) {
    /* Without a manifest of its own a script is served as before; one named by --manifest must exist. */
    return missing && !named_manifest ? MANIFEST_COLD : MANIFEST_IN_DOUBT;
  }
  enum manifest_warm answer = warm_of(text, size);
  free(text);
  return answer;
}
