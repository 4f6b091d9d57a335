// The baseline came from this project's first run; the mutant failed the gate by a drop, not by an error.
def log = new File(basedir, 'build.log').text
def baseline = new File(basedir, 'cnn-baseline.csv')
assert baseline.isFile() : 'goal 1 wrote no baseline'
assert baseline.text.contains('resnext-seed')
// The last run was the mutant's: its rows are ok (it trained), and the gate names the drop.
def results = new File(basedir, 'target/cnn/results.csv').readLines()
assert results.size() == 3 : results
assert results[1].startsWith('resnext-seed,44,ok,') && results[2].startsWith('resnext-seed,45,ok,') : results
// Goal 1 recorded the baseline before its report judged against it, so the report's verdict is the build's.
def recorded = log.indexOf('cnn:benchmark: baseline ')
assert recorded >= 0 && log.indexOf('report: ') > recorded : 'goal 1 wrote its report before recording the baseline'
// The mutant's band is the seeds' noise (3 standard errors) as the baseline's two seeds show it.
assert log =~ /allowed drop max\(maxDrop 0\.02, 3 x SE [0-9.]+ = [0-9.]+\) = [0-9.]+/ : log
assert log =~ /resnext-seed: test accuracy [0-9.]+ \(mean of 2 seeds, std [0-9.]+\) dropped [0-9.]+ below baseline/ : log
// The mutant is a different network under the same name: fewer parameters (no shortcut convolutions).
def unchanged = (log =~ /resnext-seed \(seed 42\): (\d+) trainable parameters/).collect { it[1] as int }
def mutant = (log =~ /resnext-seed \(seed 44\): (\d+) trainable parameters/).collect { it[1] as int }
assert unchanged.size() == 1 && mutant.size() == 1 && unchanged[0] > mutant[0] : [unchanged, mutant]
return true
