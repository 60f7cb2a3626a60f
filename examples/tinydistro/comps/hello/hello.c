#include <stdio.h>
#ifndef GREETING
#define GREETING "world"
#endif
int main(void)
{
    printf("hello, %s\n", GREETING);
    return 0;
}
