// Equal accuracies, unequal protocols: each architecture fails naming the setting that differs, not a drop.
def log = new File(basedir, 'build.log').text
for (arch in ['resnext-seed', 'mobilenetv3-small']) {
    assert log.contains("${arch}: measured under another protocol than cnn-baseline.csv (epochs=1 (baseline:"
            + ' default)), so the accuracies are not comparable; run with the baseline\'s settings, or re-record the'
            + ' baseline with -Dcnn.updateBaseline=true') : log
}
assert !log.contains('dropped') && !log.contains('rose') : log
assert log.contains('BUILD FAILURE')
return true
