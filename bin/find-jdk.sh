# Sourced by ./mvnw and ./prefect: makes JAVA_HOME point at a JDK 21 or newer.
# Order: JAVA_HOME, then `java` on PATH, then the newest JDK under /usr/lib/jvm.
# Prints what to install and returns 1 when there is none.

openprefect_java_major() {
  # $1: a java executable. Prints its feature version (17, 21, 25, ...), or nothing.
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

openprefect_find_jdk() {
  local required=21 candidate major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(openprefect_java_major "$JAVA_HOME/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$required" ]; then return 0; fi
  fi
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(openprefect_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$required" ]; then export JAVA_HOME="$candidate"; return 0; fi
  fi
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    candidate=${candidate%/}
    [ -x "$candidate/bin/javac" ] || continue
    major=$(openprefect_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$required" ]; then export JAVA_HOME="$candidate"; return 0; fi
  done
  echo "No JDK $required or newer was found (looked at JAVA_HOME, javac on PATH and /usr/lib/jvm)." >&2
  echo "Install one, for example 'apt-get install openjdk-21-jdk-headless' or a Temurin 21+ JDK," >&2
  echo "then set JAVA_HOME to it and run this command again." >&2
  return 1
}
