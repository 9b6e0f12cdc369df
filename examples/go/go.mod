module example.com/myapp

go 1.26.0
