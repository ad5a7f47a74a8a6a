package main

import "errors"

func isolationServer() error { return errors.New("todo") }
func isolationClient() error { return errors.New("todo") }
