/* placeholder: replaced by the sanctum command */
#include <stdio.h>
#include "sanctum.h"
int main(void) { printf("sanctum %s\n", sanctum_version()); return 0; }
