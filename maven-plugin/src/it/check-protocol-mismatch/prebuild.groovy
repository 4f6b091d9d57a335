// Puts the fixture results where cnn:benchmark writes them, so that the goal under test needs no training.
def from = new File(basedir, "fixtures")
def to = new File(basedir, "target/cnn")
to.mkdirs()
from.eachFileRecurse(groovy.io.FileType.FILES) { f ->
    def target = new File(to, from.toPath().relativize(f.toPath()).toString())
    target.parentFile.mkdirs()
    target.bytes = f.bytes
}
return true
