// placeholder: replaced by the container implementation
