// -Dcnn.epoch (for cnn.epochs) fails before the (unreachable) dataset is touched and before a training JVM is
// forked; a misspelled property of another goal fails the same way; another goal's property passes; a misspelled
// property in the POM warns.
def log = new File(basedir, 'build.log').text
assert log.contains("-Dcnn.epoch is not a property of cnnbench's goals, which would ignore it (did you mean cnn.epochs?)")
assert log.contains("-Dcnn.listFormt is not a property of cnnbench's goals, which would ignore it (did you mean cnn.listFormat?)")
assert !log.contains('cnn:benchmark run ')
assert !log.contains('never-downloaded')
assert !log.contains('training JVM started')
// The POM's <cnn.seedz> warns in every goal, and goal 3 (cnn:list with known properties) still succeeds.
assert log.contains("[WARNING] <cnn.seedz> in the POM's <properties> is not a property of cnnbench's goals, which would"
        + " ignore it (did you mean cnn.seed or cnn.seeds?); rename it if it is meant for cnnbench")
return true
