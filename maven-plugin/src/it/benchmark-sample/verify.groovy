// Asserts on what a user gets: results.csv with a row per architecture, complete history, confusion matrix.
def out = new File(basedir, 'target/cnn')
def results = new File(out, 'results.csv')
assert results.isFile() : "no results.csv in ${out}"
def lines = results.readLines()
def header = lines[0].split(',') as List
def rows = lines.drop(1).collect { line -> [header, line.split(',', -1) as List].transpose().collectEntries { it } }
assert rows*.architecture as Set == ['resnext-seed', 'resnext', 'composed-small'] as Set
rows.each { r ->
    assert r.status == 'ok' : "${r.architecture} failed: ${r.message}"
    assert r.epochs == '1'
    def acc = r.test_accuracy as double
    assert acc >= 0 && acc <= 1
    assert (r.train_images_per_second as double) > 0
    assert r.device ==~ /CPU \(\d+ threads?\)/ : "device column reads '${r.device}'"
    def history = new File(out, "${r.architecture}/history.csv").readLines()
    assert history[0] == 'epoch,lr,train_loss,train_accuracy,val_loss,val_accuracy,seconds,images_per_second'
    assert history.size() == 2
    assert history[1].split(',').every { it.length() > 0 }
    assert new File(out, "${r.architecture}/confusion.csv").readLines().size() == 11
}
assert rows.find { it.architecture == 'resnext-seed' }.trainable_params == '216970'
// The POM option shrank resnext's tail width, so it has fewer parameters than its default 200,330.
assert (rows.find { it.architecture == 'resnext' }.trainable_params as long) < 200330
def log = new File(basedir, 'build.log').text
assert log.contains('resnext-seed epoch 1: lr')
// What ran is recorded: the layout, and whether 1x1 convolutions went around libtorch's faulty channels-last kernel,
// which happens exactly where the start-up probe found the defect and logged it.
def env = new Properties()
new File(out, 'environment.properties').withInputStream { env.load(it) }
assert env.getProperty('engine.image_layout') == 'channels-last'
def routed = log.contains('This CPU shows the known libtorch 2.7.1 defect')
assert env.getProperty('engine.pointwise_convolutions') ==
        (routed ? 'matrix products (this CPU shows the libtorch channels-last 1x1 defect)' : 'libtorch')
// cnn.allocator=auto: jemalloc keeping its pages where it is installed, tuned glibc otherwise; the record says what the
// training JVM ran on, read from its own environment.
def jemalloc = ['/usr/lib/x86_64-linux-gnu/libjemalloc.so.2', '/usr/lib/aarch64-linux-gnu/libjemalloc.so.2',
                '/usr/lib64/libjemalloc.so.2', '/usr/lib/libjemalloc.so.2'].find { new File(it).isFile() }
def allocator = env.getProperty('engine.native_allocator')
if (jemalloc != null && !System.getenv('LD_PRELOAD')) {
    def conf = System.getenv('MALLOC_CONF') ?: 'dirty_decay_ms:-1,muzzy_decay_ms:-1' // a MALLOC_CONF of the user's wins
    assert allocator == "jemalloc (MALLOC_CONF=${conf}, ${jemalloc})".toString() : allocator
    assert log.contains('jemalloc keeps its free pages for the next phase')
} else if (jemalloc == null) {
    assert allocator == 'glibc, tuned (one arena, no unmapping)' : allocator
    assert log.contains('libjemalloc.so.2 is not installed, so the training JVM uses tuned glibc settings')
}
return true
