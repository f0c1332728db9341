# Shared by the start-* scripts: free loopback ports, readiness waits, pid and env files.
# A start script is called as `start-NAME DIR`; it starts one server in the background with its
# log in DIR/NAME.log and its pid in DIR/NAME.pid, waits until it answers, and writes its
# endpoint settings (KEY=VALUE lines) to DIR/NAME.env (`start` merges them into
# DIR/backends.env). It exits non-zero, naming the server and the log, if the server does not
# come up in time.
set -euo pipefail

BACKENDS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

die() {
  echo "simvus backends: $*" >&2
  exit 1
}

# A TCP port on 127.0.0.1 that nothing listens on now (the kernel picks it).
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# wait_for NAME SECONDS COMMAND...: polls COMMAND every 0.1 s until it succeeds.
wait_for() {
  local name="$1" seconds="$2"
  shift 2
  local tries=$((seconds * 10))
  for ((i = 0; i < tries; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  return 1
}

# start_daemon DIR NAME COMMAND...: runs COMMAND in the background, logs and pid in DIR.
start_daemon() {
  local dir="$1" name="$2"
  shift 2
  # Emptied here, not by the background redirection: that may run after the caller's first
  # readiness check, which would then read the previous run's log.
  : >"$dir/$name.log"
  "$@" >>"$dir/$name.log" 2>&1 &
  echo $! >"$dir/$name.pid"
}

# alive DIR NAME: the server NAME started in DIR is still running.
alive() {
  kill -0 "$(cat "$1/$2.pid")" 2>/dev/null
}

# fail_start DIR NAME WHAT: reports a server that did not come up, with the end of its log.
fail_start() {
  local dir="$1" name="$2" what="$3"
  echo "simvus backends: $name did not become ready ($what); last lines of $dir/$name.log:" >&2
  tail -n 20 "$dir/$name.log" >&2 || true
  exit 1
}

# write_env DIR NAME KEY=VALUE...: the server's endpoint settings.
write_env() {
  local dir="$1" name="$2"
  shift 2
  printf '%s\n' "$@" >"$dir/$name.env"
}

# merge_env DIR: DIR/backends.env from every running server's NAME.env.
merge_env() {
  local dir="$1" f
  : >"$dir/backends.env.tmp"
  for f in "$dir"/*.env; do
    if [ -e "$f" ] && [ "$(basename "$f")" != backends.env ]; then cat "$f" >>"$dir/backends.env.tmp"; fi
  done
  mv "$dir/backends.env.tmp" "$dir/backends.env"
  return 0
}
