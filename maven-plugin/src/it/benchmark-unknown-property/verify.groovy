// -Dcnn.epoch (for cnn.epochs) fails before the (unreachable) dataset is touched and before a training JVM is
// forked; a misspelled property of another goal fails the same way; another goal's property passes.
def log = new File(basedir, 'build.log').text
assert log.contains("-Dcnn.epoch is not a property of cnnbench's goals, which would ignore it (did you mean cnn.epochs?)")
assert log.contains("-Dcnn.listFormt is not a property of cnnbench's goals, which would ignore it (did you mean cnn.listFormat?)")
assert !log.contains('cnn:benchmark run ')
assert !log.contains('never-downloaded')
assert !log.contains('training JVM started')
return true
