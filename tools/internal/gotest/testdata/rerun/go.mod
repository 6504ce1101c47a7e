module rerun

go 1.25.0
