def log = new File(basedir, 'build.log').text
// Every registered architecture with its trainable-parameter count; providers with the jar they came from.
assert log =~ /resnext-seed\s+216970\s+40894720/
assert log =~ /resnext\s+200330\s+/
assert log =~ /architecture\s+resnext-seed\s+file:.*cnn-architectures-resnext/
assert log =~ /block\s+resnext-seed-block/
// generic-tail and generic-head come with cnn-framework-api, not with an architecture jar.
assert log =~ /tail\s+generic-tail\s+file:.*cnn-framework-api/
assert log =~ /head\s+generic-head\s+file:.*cnn-framework-api/
// The per-layer summary of the selected network.
assert log.contains('Model: "resnext-seed"')
assert log.contains('Trainable params: 216,970')
assert log.contains('level2/block4/paths/expand_conv (Conv2D(groups=8))')
// A named architecture's options: type, the architecture's default, description.
assert log =~ /cardinality\s+int\s+8\s+number of parallel paths/
assert log =~ /blockRepeats\s+intList\s+4,4,5\s+/
assert log =~ /alpha\s+double\s+1\.0\s+width multiplier.*\(set to 0\.5 in this run\)/
assert log =~ /stemStride\s+int\s+1\s+/

// The table as data: every registered architecture, with whether a run benchmarks it by default.
def csv = new File(basedir, 'target/list/architectures.csv')
assert csv.isFile()
def lines = csv.readLines()
assert lines[0] == 'name,trainable_params,macs,input_channels,input_height,input_width,num_classes,fits_cifar,tail,block,head,description,paper'
// The columns up to fits_cifar hold no commas (descriptions do, quoted), so a plain split reads them.
def rows = lines.drop(1).collectEntries { line ->
    def cells = line.split(',', -1)
    [(cells[0]): cells]
}
assert rows['resnext-seed'][1] == '216970'
assert rows['resnext-seed'][2] == '40894720'
assert rows['resnext-seed'][3..7] == ['3', '28', '28', '10', 'true']
assert rows['mobilenetv3-small'][7] == 'true'
assert rows['mobilenetv3-small-224'][3..7] == ['3', '224', '224', '1000', 'false']
assert rows.keySet().containsAll(['resnext', 'mobilenetv3-large', 'mobilenetv3-large-224'])
def json = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/list/architectures.json'))
assert json.size() == rows.size()
def seed = json.find { it.name == 'resnext-seed' }
assert seed.trainable_params == 216970 && seed.fits_cifar == true && seed.tail == 'generic-tail'
assert json.find { it.name == 'mobilenetv3-large-224' }.fits_cifar == false
assert !new File(basedir, 'target/list').list().any { it.contains('.tmp') }

// Option typos fail instead of training the default.
assert log.contains("unknown option 'cardinalty' for architecture resnext (did you mean 'cardinality'?)")
assert log.contains("unknown architecture 'resnxt' (did you mean 'resnext'?)")
assert log.contains("option 'cardinality' of architecture resnext must be an int, got 'many'")
return true
