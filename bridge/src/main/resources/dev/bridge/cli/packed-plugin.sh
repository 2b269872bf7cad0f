#!/bin/sh
# A bridgejs plugin packed by `bridgejs pack`: this POSIX shell stub, then a tar archive of the plugin's
# own files (script, modules, manifest, .proto files). A go-plugin host runs it with no arguments; its
# arguments, if any, go to the script (bridge.args). The archive is checked against its SHA-256 and
# extracted once, into a cache directory of the user running it; then bridgejs serves the script there.
# The working directory stays the host's. BRIDGE_LAUNCHER=PATH runs another bridgejs than the one below.
launcher=@LAUNCHER@
sum=@SHA256@
skip=@SKIP@
me=$0
# The host may give no environment at all: the stub's own tools come from a fixed PATH, and the host's
# PATH (or its absence) is given back to bridgejs.
unset host_path
[ -n "${PATH+set}" ] && host_path=$PATH
PATH=/usr/bin:/bin

die() {
  printf '%s\n' "$me: $*" >&2
  exit 1
}

# A directory for this user alone: an existing one only if it is ours and no symbolic link (in a
# shared TMPDIR another user could have made it first).
own_dir() {
  mkdir -p -m 700 "$1" 2>/dev/null
  [ -d "$1" ] && [ ! -L "$1" ] && [ -O "$1" ] && [ -w "$1" ] && [ -x "$1" ]
}

cache=
case ${XDG_CACHE_HOME:-} in /*) own_dir "$XDG_CACHE_HOME/bridgejs" && cache=$XDG_CACHE_HOME/bridgejs ;; esac
if [ -z "$cache" ]; then
  case ${HOME:-} in /*) own_dir "$HOME/.cache/bridgejs" && cache=$HOME/.cache/bridgejs ;; esac
fi
if [ -z "$cache" ]; then
  tmp_root=${TMPDIR:-/tmp}
  case $tmp_root in /*) ;; *) tmp_root=/tmp ;; esac
  uid=$(id -u) || die "cannot tell the user id (id -u)"
  own_dir "$tmp_root/bridgejs-$uid" && cache=$tmp_root/bridgejs-$uid
  [ -n "$cache" ] || die "no cache directory to extract the plugin into: \$XDG_CACHE_HOME/bridgejs, \$HOME/.cache/bridgejs and $tmp_root/bridgejs-$uid are not writable directories of this user (uid $uid), or $tmp_root/bridgejs-$uid belongs to another user"
fi

dir=$cache/packed/$sum
if [ ! -d "$dir" ]; then
  own_dir "$cache/packed" || die "cannot create the directory $cache/packed"
  # Extracted beside, then renamed: a copy started at the same time sees the whole directory or none.
  work=$(mktemp -d "$cache/packed/.extract.XXXXXXXX") || die "cannot create a directory in $cache/packed"
  tail -c "+$skip" "$me" >"$work/plugin.tar" || { rm -rf "$work"; die "cannot read the packed files from $me"; }
  got=$(sha256sum <"$work/plugin.tar") || { rm -rf "$work"; die "cannot compute the SHA-256 of the packed files (sha256sum)"; }
  got=${got%% *}
  if [ "$got" != "$sum" ]; then
    rm -rf "$work"
    die "damaged: its packed files have the SHA-256 $got, not $sum as packed; copy the file again or pack it again"
  fi
  mkdir "$work/files" && tar -x -o -f "$work/plugin.tar" -C "$work/files" ||
    { rm -rf "$work"; die "cannot extract the packed files into $work (tar)"; }
  # Fails when another copy renamed its own first: that one is used, this one removed.
  mv -T "$work/files" "$dir" 2>/dev/null
  rm -rf "$work"
  [ -d "$dir" ] || die "cannot extract the packed files into $dir"
fi

launcher=${BRIDGE_LAUNCHER:-$launcher}
[ -x "$launcher" ] || die "bridgejs is not at $launcher: install the bridge there, or set BRIDGE_LAUNCHER to the bridgejs command (docs/packing.md)"
if [ -n "${host_path+set}" ]; then PATH=$host_path; else unset PATH; fi
exec "$launcher" @ARGS@ "$@"
exit 1
