#!/usr/bin/env bash
# Build (once) and start SIAP's Elasticsearch test node on 127.0.0.1:${ES_PORT:-9200}.
#   run.sh start | stop | status
# The node's home (data, plugins, logs) is under ${SIAP_ES_HOME:-/tmp/siap-test-es}.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ES_PORT="${ES_PORT:-9200}"
HOME_DIR="${SIAP_ES_HOME:-/tmp/siap-test-es}"
ES_VERSION=8.18.8
target="$here/target"

build() {
  if [ ! -f "$target/siap-es-test-node-1.0.jar" ] || [ "$here/pom.xml" -nt "$target/siap-es-test-node-1.0.jar" ] \
     || [ -n "$(find "$here/src" -newer "$target/siap-es-test-node-1.0.jar" -type f)" ]; then
    (cd "$here" && mvn -q -B -DskipTests package)
  fi
}

layout() {
  rm -rf "$HOME_DIR/plugins" && mkdir -p "$HOME_DIR/plugins/transport-netty4" "$HOME_DIR/plugins/siap-analysis" "$HOME_DIR/config"
  local netty="$HOME_DIR/plugins/transport-netty4"
  cp "$target"/lib/transport-netty4-*.jar "$target"/lib/netty-*.jar "$target"/lib/elasticsearch-ssl-config-*.jar "$netty/"
  cat > "$netty/plugin-descriptor.properties" <<PROPS
description=Netty 4 based transport (HTTP) for the SIAP test node
version=$ES_VERSION
name=transport-netty4
classname=org.elasticsearch.transport.netty4.Netty4Plugin
java.version=17
elasticsearch.version=$ES_VERSION
PROPS
  cp "$target"/siap-es-test-node-1.0-analysis-plugin.jar "$HOME_DIR/plugins/siap-analysis/"
  cat > "$HOME_DIR/plugins/siap-analysis/plugin-descriptor.properties" <<PROPS
description=Lucene's Indonesian analyzer registered as "indonesian"
version=1.0
name=siap-analysis
classname=id.go.dprd.siap.esnode.SiapAnalysisPlugin
java.version=17
elasticsearch.version=$ES_VERSION
PROPS
}

classpath() {
  local cp="$target/siap-es-test-node-1.0.jar"
  for jar in "$target"/lib/*.jar; do
    case "$(basename "$jar")" in transport-netty4-*|netty-*|elasticsearch-ssl-config-*) continue ;; esac
    cp="$cp:$jar"
  done
  echo "$cp"
}

up() { curl -s -o /dev/null "http://127.0.0.1:$ES_PORT/_cluster/health?wait_for_status=yellow&timeout=1s"; }

case "${1:-start}" in
  start)
    if up; then echo "Elasticsearch test node already up on 127.0.0.1:$ES_PORT"; exit 0; fi
    build
    layout
    mkdir -p "$HOME_DIR/logs"
    setsid java -Xms512m -Xmx512m -XX:+UseSerialGC -Dlog4j2.disable.jmx=true \
      --add-opens java.base/java.io=ALL-UNNAMED \
      -cp "$(classpath)" id.go.dprd.siap.esnode.SiapTestNode "$HOME_DIR" "$ES_PORT" \
      > "$HOME_DIR/logs/node.out" 2>&1 < /dev/null &
    echo $! > "$HOME_DIR/node.pid"
    for _ in $(seq 120); do
      if up; then echo "Elasticsearch test node up on 127.0.0.1:$ES_PORT"; exit 0; fi
      if ! kill -0 "$(cat "$HOME_DIR/node.pid")" 2>/dev/null; then break; fi
      sleep 1
    done
    echo "Elasticsearch test node did not start; see $HOME_DIR/logs/node.out" >&2
    tail -40 "$HOME_DIR/logs/node.out" >&2
    exit 1
    ;;
  stop)
    if [ -f "$HOME_DIR/node.pid" ]; then
      pid="$(cat "$HOME_DIR/node.pid")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$HOME_DIR/node.pid"
    fi
    ;;
  status) up && echo up || { echo down; exit 1; } ;;
esac
