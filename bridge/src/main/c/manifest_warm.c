/*
 * The manifest's "warm" field, read before any JVM starts (bin/bridgejs runs `bridgejs-warm --wants-warm ARGS`
 * when BRIDGE_WARM is unset): a JVM would take a second to tell what this tells in a millisecond. Only what decides
 * the answer is checked here; whatever is in doubt is served cold, and the bridge (PluginManifest, StrictJson,
 * ServeOptions) reports what is wrong. The options are those of dev.bridge.cli.ServeOptions and LoadOptions:
 * change both sides together (WarmManifestCheckTest tries every option the JVM knows).
 */
#define _GNU_SOURCE
#include "manifest_warm.h"

#include "json_field.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Larger manifests are left to the JVM. */
#define MAX_MANIFEST (1 << 20)

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

/* The manifest's text; NULL with *missing set when there is no such file. */
static char *read_manifest(const char *path, size_t *size, int *missing) {
  *missing = 0;
  /* Non-blocking: a FIFO named as the manifest must not hang the launch (it is no regular file: in doubt). */
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
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
  enum json_field warm = json_top_level_field(text, size, "warm");
  /* "warm": null is no field to the bridge; another type, or twice, it refuses naming the field. */
  enum manifest_warm answer = warm == JSON_FIELD_TRUE ? MANIFEST_WARM
      : warm == JSON_FIELD_FALSE || warm == JSON_FIELD_NULL || warm == JSON_FIELD_ABSENT ? MANIFEST_COLD
      : MANIFEST_IN_DOUBT;
  free(text);
  return answer;
}
