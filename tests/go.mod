module github.com/nixlayer/nixlayer/tests

go 1.26.0
