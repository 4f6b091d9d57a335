// Each bad setting fails before the (unreachable) dataset is touched and before a training JVM is forked.
def log = new File(basedir, 'build.log').text
assert log.contains('cnn.learningRate must be positive, got -1.0')
assert log.contains("cnn.device must be cpu, gpu or auto, got 'tpu'")
assert log.contains("cnn.optimizer must be adam or sgd, got 'adamw'")
assert log.contains("cnn.timeout must be a positive duration such as 90m, 2h, 600s or PT1H30M, got 'soon'")
assert !log.contains('never-downloaded')
assert !log.contains('training JVM started')
return true
