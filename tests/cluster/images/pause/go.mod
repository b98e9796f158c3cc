module keelson.dev/test-cluster/pause

go 1.26
