// placeholder: replaced by the cgroup implementation
