def log = new File(basedir, 'build.log').text
def baseline = new File(basedir, 'cnn-baseline.csv')
// The first check failed against the old baseline.
assert log.contains('dropped 0.052 below baseline 0.235 (cnn-baseline.csv)')
// The second rewrote the baseline from the results...
assert log =~ /cnn:check: baseline .*cnn-baseline\.csv rewritten from these results for resnext-seed, mobilenetv3-small/
def lines = baseline.readLines()
assert lines[0].startsWith('architecture,seed,status,message,trainable_params,macs,')
def header = lines[0].split(',') as List
def rows = lines.drop(1).collect { [header, it.split(',', -1) as List].transpose().collectEntries { it } }
assert rows.collect { "${it.architecture}/${it.seed}/${it.test_accuracy}" } ==
        ['resnext-seed/42/0.1790', 'resnext-seed/43/0.1830', 'resnext-seed/44/0.1870', 'mobilenetv3-small/42/0.3100']
// ...atomically: no temporary file is left beside it.
assert baseline.parentFile.list().findAll { it.startsWith('.cnn-baseline.csv') }.isEmpty()
// The third passed against the new baseline.
assert log.contains('cnn:check: resnext-seed: test accuracy 0.183 (mean of 3 seeds, std 0.004); minimum 0.15; baseline 0.183 (+0), allowed drop max(maxDrop 0.02, 2 x SE 0.0033 = 0.0065) = 0.02: ok')
assert log.contains('cnn:check: all rules passed')
assert log.contains('BUILD SUCCESS')
return true
