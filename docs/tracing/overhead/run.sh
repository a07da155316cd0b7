#!/usr/bin/env bash
# Trace journal overhead, off and on, against the loop before the journal existed (main). Not part of the build: a
# bounded harness run by hand from the repository root, after `mvn -B -q -pl loop compile`. See docs/tracing.md.
set -euo pipefail
root=$(pwd)
work=${WORK:-/tmp/yieldloop-trace-overhead}
rounds=${ROUNDS:-60}
jctools=$(ls ~/.m2/repository/org/jctools/jctools-core/4.0.7/jctools-core-4.0.7.jar)
rm -rf "$work" && mkdir -p "$work/main-src" "$work/base" "$work/branch"
git archive main pom.xml loop | tar -x -C "$work/main-src"
sed -i 's#<module>demo</module>##' "$work/main-src/pom.xml"
(cd "$work/main-src" && mvn -B -q -o -pl loop compile)
mkdir -p "$work/src-base" "$work/src-branch"
cp docs/tracing/overhead/DriverMain.java "$work/src-base/Driver.java"
cp docs/tracing/overhead/Driver.java "$work/src-branch/Driver.java"
javac -d "$work/base" -cp "$work/main-src/loop/target/classes" "$work/src-base/Driver.java"
javac -d "$work/branch" -cp "$root/loop/target/classes" "$work/src-branch/Driver.java"
javac -d "$work" docs/tracing/overhead/Harness.java
echo "load before: $(cat /proc/loadavg)"
java -cp "$work" Harness "$jctools" "$rounds" "$work" "$work/main-src/loop/target/classes" "$root/loop/target/classes"
echo "load after: $(cat /proc/loadavg)"
