/*
 * bridgejs-warm: the process a go-plugin host starts when BRIDGE_WARM=1 (bin/bridgejs execs it). It reaches the
 * user's warm runtime (starting it on first use), asks it to serve the plugin with this process's command line,
 * working directory and environment, and relays what the runtime sends: the handshake line to stdout, log lines to
 * stderr, and finally the exit code, which it exits with. SIGTERM and SIGHUP are passed on (the plugin stops as it
 * would on them); SIGINT is ignored, as by a plugin started directly (the host owns Ctrl-C). When the host kills this
 * process, the connection closes and the runtime ends the instance.
 *
 * Usage (by bin/bridgejs only): bridgejs-warm LAUNCHER JAR [ARGS...]
 *        bridgejs-warm --wants-warm [ARGS...]
 * The second asks whether the manifest of the plugin bridgejs's ARGS serve says "warm": true (manifest_warm.c):
 * exit 0 yes, 1 no, 2 in doubt (served cold, where the bridge says what is wrong).
 *
 * The runtime directory, build id and frames are those of dev.bridge.warm (RuntimeDirectory, WarmBuild, Frame,
 * LaunchRequest); change both sides together.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "manifest_warm.h"

extern char **environ;

static const char MAGIC[] = "bridge-warm-1";
static int runtime_fd = -1;
static char log_path[PATH_MAX];

static void die(const char *fmt, const char *arg) {
  fprintf(stderr, "bridgejs: ");
  fprintf(stderr, fmt, arg);
  fputc('\n', stderr);
  exit(1);
}

/* The directory of RuntimeDirectory.choose: $XDG_RUNTIME_DIR/bridge when that is a directory of ours. */
static void choose_dir(char *dir, size_t size, uid_t uid) {
  const char *xdg = getenv("XDG_RUNTIME_DIR");
  struct stat st;
  if (xdg && xdg[0] == '/' && lstat(xdg, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == uid) {
    snprintf(dir, size, "%s/bridge", xdg);
  } else {
    snprintf(dir, size, "/tmp/bridge-%lu", (unsigned long) uid);
  }
}

/* RuntimeDirectory.prepare: made 0700, then a directory, not a link, ours, of mode 0700. */
static void prepare_dir(const char *dir, uid_t uid) {
  struct stat st;
  if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
    fprintf(stderr, "bridgejs: cannot make the warm runtime's directory %s: %s\n", dir, strerror(errno));
    exit(1);
  }
  if (lstat(dir, &st) != 0) {
    fprintf(stderr, "bridgejs: the warm runtime's directory %s: %s\n", dir, strerror(errno));
    exit(1);
  }
  if (S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode)) {
    die("the warm runtime's directory %s is not a directory (or is a symbolic link); remove it", dir);
  }
  if (st.st_uid != uid) {
    die("the warm runtime's directory %s belongs to another user; remove it, or set XDG_RUNTIME_DIR to a "
        "directory of your own", dir);
  }
  if ((st.st_mode & 07777) != 0700) {
    die("the warm runtime's directory %s is not of mode 0700; chmod 700 it or remove it", dir);
  }
}

/* WarmBuild.of: FNV-1a 64 of "realpath\nsize\nmtime-nanoseconds". */
static void build_id(const char *jar, char out[17]) {
  char real[PATH_MAX];
  struct stat st;
  if (!realpath(jar, real) || stat(real, &st) != 0) {
    fprintf(stderr, "bridgejs: the bridge's jar %s: %s\n", jar, strerror(errno));
    exit(1);
  }
  char text[PATH_MAX + 64];
  long long nanos = (long long) st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
  int n = snprintf(text, sizeof text, "%s\n%lld\n%lld", real, (long long) st.st_size, nanos);
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (int i = 0; i < n; i++) {
    hash ^= (unsigned char) text[i];
    hash *= 0x100000001b3ULL;
  }
  snprintf(out, 17, "%016llx", (unsigned long long) hash);
}

static int try_connect(const char *path) {
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof addr.sun_path) {
    die("the warm runtime's socket path %s is too long; set XDG_RUNTIME_DIR to a shorter directory", path);
  }
  strcpy(addr.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    die("cannot make a socket: %s", strerror(errno));
  }
  if (connect(fd, (struct sockaddr *) &addr, sizeof addr) == 0) {
    return fd;
  }
  close(fd);
  return -1;
}

static long env_millis(const char *name, long fallback) {
  const char *v = getenv(name);
  return v && *v ? strtol(v, NULL, 10) : fallback;
}

static long now_millis(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/*
 * Starts the runtime in a session of its own (not a child of this process, nor in the host's process group, so
 * that a host killing its plugin's group leaves it), with its stderr on its log, and waits until it listens. The
 * runtime inherits the write end of a pipe: its end (it exited while starting) is seen here as the pipe's end.
 */
static int start_runtime(const char *launcher, const char *socket_path) {
  int ready[2];
  if (pipe2(ready, O_CLOEXEC) != 0) {
    die("cannot make a pipe: %s", strerror(errno));
  }
  pid_t child = fork();
  if (child < 0) {
    die("cannot fork: %s", strerror(errno));
  }
  if (child == 0) {
    setsid();
    if (fork() != 0) {
      _exit(0);
    }
    close(ready[0]);
    fcntl(ready[1], F_SETFD, 0); /* kept open across exec: the runtime holds it until it exits */
    int null_fd = open("/dev/null", O_RDONLY);
    int log_fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (null_fd < 0 || log_fd < 0) {
      _exit(126);
    }
    dup2(null_fd, 0);
    dup2(log_fd, 1);
    dup2(log_fd, 2);
    if (chdir("/") != 0) {
      _exit(126);
    }
    setenv("BRIDGE_WARM", "0", 1);
    execl("/bin/sh", "sh", launcher, "warm", "runtime", (char *) NULL);
    fprintf(stderr, "bridgejs: cannot run %s: %s\n", launcher, strerror(errno));
    _exit(127);
  }
  close(ready[1]);
  waitpid(child, NULL, 0);
  long deadline = now_millis() + env_millis("BRIDGE_WARM_START_TIMEOUT_MS", 120000);
  for (;;) {
    int fd = try_connect(socket_path);
    if (fd >= 0) {
      close(ready[0]);
      return fd;
    }
    struct pollfd p = {.fd = ready[0], .events = POLLIN};
    if (poll(&p, 1, 10) > 0) {
      char c;
      if (read(ready[0], &c, 1) <= 0) {
        fprintf(stderr, "bridgejs: the warm runtime exited while starting; its log is %s\n", log_path);
        exit(1);
      }
    }
    if (now_millis() > deadline) {
      fprintf(stderr, "bridgejs: the warm runtime did not listen in time; its log is %s\n", log_path);
      exit(1);
    }
  }
}

/* Connects to the runtime, starting it (under the lock, so that clients starting at once start one). */
static int reach_runtime(const char *launcher, const char *dir, const char *id) {
  char socket_path[PATH_MAX], lock_path[PATH_MAX];
  snprintf(socket_path, sizeof socket_path, "%s/runtime-%s.sock", dir, id);
  snprintf(lock_path, sizeof lock_path, "%s/runtime-%s.lock", dir, id);
  snprintf(log_path, sizeof log_path, "%s/runtime-%s.log", dir, id);
  int fd = try_connect(socket_path);
  if (fd >= 0) {
    return fd;
  }
  int lock = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (lock < 0 || flock(lock, LOCK_EX) != 0) {
    fprintf(stderr, "bridgejs: cannot lock %s: %s\n", lock_path, strerror(errno));
    exit(1);
  }
  fd = try_connect(socket_path);
  if (fd < 0) {
    fd = start_runtime(launcher, socket_path);
  }
  close(lock);
  return fd;
}

static void write_all(int fd, const void *data, size_t size) {
  const char *p = data;
  while (size > 0) {
    ssize_t n = write(fd, p, size);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return; /* the runtime's end is seen by the read loop */
    }
    p += n;
    size -= (size_t) n;
  }
}

static void put_frame_header(char *at, char type, uint32_t length) {
  at[0] = type;
  at[1] = (char) (length >> 24);
  at[2] = (char) (length >> 16);
  at[3] = (char) (length >> 8);
  at[4] = (char) length;
}

/* The hello of LaunchRequest: NUL-terminated strings. */
static void send_hello(int fd, const char *id, int argc, char **argv) {
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd)) {
    die("cannot read the working directory: %s", strerror(errno));
  }
  int envc = 0;
  for (char **e = environ; *e; e++) {
    envc++;
  }
  char argc_text[16], envc_text[16];
  snprintf(argc_text, sizeof argc_text, "%d", argc);
  snprintf(envc_text, sizeof envc_text, "%d", envc);
  size_t size = strlen(MAGIC) + 1 + strlen(id) + 1 + strlen(cwd) + 1 + strlen(argc_text) + 1 + strlen(envc_text) + 1;
  for (int i = 0; i < argc; i++) {
    size += strlen(argv[i]) + 1;
  }
  for (char **e = environ; *e; e++) {
    size += strlen(*e) + 1;
  }
  char *frame = malloc(5 + size);
  if (!frame) {
    die("%s", "out of memory");
  }
  put_frame_header(frame, 'H', (uint32_t) size);
  char *at = frame + 5;
#define PUT(s) do { size_t l = strlen(s) + 1; memcpy(at, (s), l); at += l; } while (0)
  PUT(MAGIC);
  PUT(id);
  PUT(cwd);
  PUT(argc_text);
  for (int i = 0; i < argc; i++) {
    PUT(argv[i]);
  }
  PUT(envc_text);
  for (char **e = environ; *e; e++) {
    PUT(*e);
  }
#undef PUT
  write_all(fd, frame, 5 + size);
  free(frame);
}

/* Only write(2) here: the frame is made on the stack. */
static void pass_signal(int signo) {
  (void) signo;
  char frame[9];
  put_frame_header(frame, 'S', 4);
  memcpy(frame + 5, "TERM", 4);
  int saved = errno;
  write_all(runtime_fd, frame, sizeof frame);
  errno = saved;
}

static int read_full(int fd, void *buf, size_t size) {
  char *p = buf;
  while (size > 0) {
    ssize_t n = read(fd, p, size);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return -1;
    }
    p += n;
    size -= (size_t) n;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 2 && strcmp(argv[1], "--wants-warm") == 0) {
    return manifest_wants_warm(argc - 2, argv + 2);
  }
  if (argc < 3) {
    fprintf(stderr, "usage: bridgejs-warm LAUNCHER JAR [ARGS...] | --wants-warm [ARGS...] (run by bin/bridgejs; "
        "docs/warm.md)\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  signal(SIGINT, SIG_IGN);
  uid_t uid = geteuid();
  char dir[PATH_MAX - 64];
  choose_dir(dir, sizeof dir, uid);
  prepare_dir(dir, uid);
  char id[17];
  build_id(argv[2], id);
  runtime_fd = reach_runtime(argv[1], dir, id);
  send_hello(runtime_fd, id, argc - 3, argv + 3);

  struct sigaction action = {.sa_handler = pass_signal};
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, NULL);
  sigaction(SIGHUP, &action, NULL);

  static char buffer[65536];
  for (;;) {
    unsigned char header[5];
    if (read_full(runtime_fd, header, 5) != 0) {
      break;
    }
    uint32_t length = (uint32_t) header[1] << 24 | (uint32_t) header[2] << 16 | (uint32_t) header[3] << 8 | header[4];
    if (header[0] == 'X' && length == 4) {
      unsigned char code[4];
      if (read_full(runtime_fd, code, 4) != 0) {
        break;
      }
      return (int) ((uint32_t) code[0] << 24 | (uint32_t) code[1] << 16 | (uint32_t) code[2] << 8 | code[3]);
    }
    int out = header[0] == 'O' ? 1 : header[0] == 'E' ? 2 : -1;
    if (out < 0) {
      fprintf(stderr, "bridgejs: the warm runtime sent an unknown frame type 0x%02x\n", header[0]);
      return 1;
    }
    while (length > 0) {
      size_t chunk = length < sizeof buffer ? length : sizeof buffer;
      if (read_full(runtime_fd, buffer, chunk) != 0) {
        goto lost;
      }
      write_all(out, buffer, chunk);
      length -= (uint32_t) chunk;
    }
  }
lost:
  fprintf(stderr, "bridgejs: the warm runtime ended without this plugin's exit code (did it die? its log is %s)\n",
      log_path);
  return 1;
}
