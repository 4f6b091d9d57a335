// Each failure names the architecture and the cause; no run passes on a row it did not write.
def log = new File(basedir, 'build.log').text
def results = new File(basedir, 'target/cnn/results.csv')

// 1. The throwing provider: its row names it; resnext-seed trained beside it.
assert log =~ /faulty-throws \(seed 42\): could not build faulty-throws: java\.lang\.IllegalStateException: this block is broken on purpose/
assert log =~ /resnext-seed\s+seed 42\s+ok/
// 2. The JVM could not start: the build fails naming resnext-seed and the cause, not with the first run's row.
assert log =~ /resnext-seed \(seed 42\): the training JVM could not start \(exit status 1\); check cnn\.jvmArgs; its last output: .*NoSuchFlag/
assert log.contains('ignored 2 row(s) of an earlier run')
// 3. Killed by a signal.
assert log =~ /faulty-killed \(seed 42\): the training JVM was killed by signal 9 \(SIGKILL/
// 4. Timed out.
assert log =~ /faulty-hangs \(seed 42\): timed out after PT15S \(cnn\.timeout\); the training JVM was killed/
// 5. cnn:check judges only what the last run wrote: no row for resnext-seed.
assert log.contains('results.csv has no rows for resnext-seed: this run produced nothing to judge')
// The results file holds exactly the last run's failure row.
def lines = results.readLines()
assert lines.size() == 2 : lines
assert lines[1].startsWith('faulty-hangs,42,failed,')
assert !log.contains('all rules passed')
assert !log.contains('BUILD SUCCESS')
// No training JVM outlived its build.
def leftovers = 'ps -eo args'.execute().text.readLines().findAll { it.contains('io.cnnbench.core.bench.BenchmarkMain') && it.contains(basedir.name) }
assert leftovers.isEmpty() : leftovers
return true
